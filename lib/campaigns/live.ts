import 'server-only';
import { createHash, randomUUID } from 'node:crypto';
import type PgBoss from 'pg-boss';
import { processWide, processWidePromise } from '@/lib/async/process-wide';
import {
  type AuditStore,
  auditStore,
  type CampaignItemRow,
  type CampaignRow,
  CampaignStateError,
  type NewCampaignItem,
} from '@/lib/audit';
import { campaignEvent, scheduleChangedEvent, type UserRequest } from '@/lib/audit/events';
import { onTenantAnswers } from '@/lib/auth0/client';
import { listConnectionKeys } from '@/lib/auth0/connections';
import { config, tenantBySlug } from '@/lib/config';
import { filterFleet } from '@/lib/fleet/fleet';
import { inventoryStatus } from '@/lib/fleet/live';
import { tenantFleet } from '@/lib/fleet/view';
import { liveNextKeyReadiness } from '@/lib/idp/live';
import { deliveriesFor, targetsOf } from '@/lib/notify/notifier';
import { liveRotationDependencies } from '@/lib/rotation/live';
import { rotateConnection } from '@/lib/rotation/rotate';
import { settleDanglingRotations } from '@/lib/rotation/settle-dangling';
import { storeDanglingDependencies } from '@/lib/rotation/settle-dangling-store';
import type { TenantConfig } from '@/lib/tenants/config';
import { tenantHref } from '@/lib/tenants/paths';
import { currentTenant, inTenant } from '@/lib/tenants/scope';
import { type EngineSettings, ITEM_QUEUE, type ItemJob, RetryLater, sendItemJobs, startEngine } from './engine';
import {
  type CampaignAlgorithm,
  type CampaignPlan,
  type CampaignSelection,
  confirmationPhrase,
  MAX_CAMPAIGN_ITEMS,
  type PlanCandidate,
  planCampaign,
  skipReason,
} from './plan';
import { finishIfDone, type RunnerDependencies, runCampaignItem } from './runner';
import { nextWindow, scheduleProblems, windowAt } from './schedule';
import type { SchedulerDependencies } from './scheduler';
import { CampaignThrottle } from './throttle';
import {
  type CampaignItemView,
  type CampaignSummaryView,
  type CampaignView,
  type ScheduleView,
  secondsLeft,
} from './view';

function engineSettings(): EngineSettings {
  const { expireSeconds, maintenanceSeconds } = config().campaigns;
  return { expireSeconds, maintenanceSeconds, pollingSeconds: 1 };
}

/** This process's pg-boss, started on first use (the server starts it at boot, lib/server/start.ts). */
export function jobEngine(): Promise<PgBoss> {
  return processWidePromise('job-engine', async () =>
    startEngine((await auditStore()).jobs, engineSettings(), (error) =>
      console.error('[keyshift] job engine:', error.message),
    ),
  );
}

/** The tenant's campaign pace in this process, learning the bucket from every answer the tenant gives. */
function throttleOf(tenant: TenantConfig): CampaignThrottle {
  return processWide(`campaign-throttle:${tenant.slug}`, () => {
    const throttle = new CampaignThrottle(
      { share: config().campaigns.share, maxWaitMs: 10_000 },
      { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
    );
    onTenantAnswers(tenant.slug, (headers, sentAt, receivedAt) => throttle.observe(headers, sentAt, receivedAt));
    return throttle;
  });
}

function runnerDependencies(store: AuditStore, tenant: TenantConfig): RunnerDependencies {
  return {
    store,
    rotate: (request) =>
      rotateConnection({ ...liveRotationDependencies(), nextKeyReadiness: liveNextKeyReadiness }, request),
    settleRequest: async (requestId) => {
      const base = storeDanglingDependencies(store, {
        listKeys: (connectionId) => listConnectionKeys(connectionId),
      });
      await settleDanglingRotations({
        ...base,
        danglingRequests: async () =>
          (await store.eventsForRequest(requestId)).filter(
            (event) => event.type === 'rotation.requested' && event.errorCode === null,
          ),
      });
    },
    acquire: (requests) => throttleOf(tenant).acquire(requests),
    newRequestId: () => randomUUID(),
    now: () => new Date(),
  };
}

/** Runs one item job in its tenant's scope. */
export async function runItemJob(job: ItemJob): Promise<void> {
  const tenant = tenantBySlug(job.tenant);
  if (!tenant) return;
  const store = await auditStore();
  await inTenant(tenant, () => runCampaignItem(runnerDependencies(store, tenant), job));
}

/**
 * Starts this instance's worker: one item at a time (each rotation holds its connection's lock; the instances
 * together share the work), and sends the jobs of running campaigns' pending items again, so a campaign whose jobs
 * were lost (a database restored, retries used up) still ends.
 */
export async function startCampaignWorker(): Promise<void> {
  const boss = await jobEngine();
  await processWidePromise('campaign-worker', async () => {
    let workerId: string | undefined;
    workerId = await boss.work<ItemJob>(ITEM_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
      if (!job) return;
      try {
        await runItemJob(job.data);
      } catch (error) {
        if (!(error instanceof RetryLater)) console.error('[keyshift] campaign item:', String(error));
        throw error;
      } finally {
        // A queue with work is drained back to back: pg-boss otherwise waits out its polling interval after each job.
        if (workerId) boss.notifyWorker(workerId);
      }
    });
    return true;
  });
  await resendPending(boss);
}

async function resendPending(boss: PgBoss): Promise<void> {
  const store = await auditStore();
  for (const campaign of await store.runningCampaigns()) {
    const tenant = [...config().tenants].find((entry) => entry.domain === campaign.tenant);
    if (!tenant) continue;
    const items = await store.campaignItems(campaign.id);
    await sendItemJobs(
      boss,
      items
        .filter((item) => item.status === 'pending')
        .map((item) => ({ tenant: tenant.slug, campaignId: campaign.id, connectionId: item.connectionId })),
    );
  }
}

/**
 * The plan's candidates: the fleet of the tenant in scope, with the next kid the inventory last read; for a fleet
 * filter, only the rows the fleet view shows for it.
 */
async function candidates(selection: CampaignSelection): Promise<PlanCandidate[]> {
  const tenant = currentTenant();
  const store = await auditStore();
  const [fleet, inventory] = await Promise.all([tenantFleet(), store.inventory(tenant.domain)]);
  const rows = selection.kind === 'filter' ? filterFleet(fleet, { ...selection.filter, tenant: 'all' }) : fleet;
  const nextKids = new Map(inventory.map((row) => [row.connectionId, row.nextKid]));
  return rows.map((row) => ({
    connectionId: row.connectionId,
    name: row.name,
    state: row.state,
    readiness: row.readiness,
    readinessReason: row.readinessReason,
    algorithm: row.algorithm,
    currentKid: row.currentKid,
    nextKid: nextKids.get(row.connectionId) ?? null,
    keysState: row.keysState,
    checkedAt: row.checkedAt,
  }));
}

/**
 * Requests a second a campaign would go at: what the campaign's throttle learnt, else the inventory's pace scaled
 * from its share to the campaign's (both are shares of the same refill rate); null while neither knows.
 */
function campaignPace(tenant: TenantConfig): number | null {
  const own = throttleOf(tenant).pace();
  if (own) return own;
  const { pace, enabled } = inventoryStatus();
  const { inventory, campaigns } = config();
  return enabled && pace ? (pace / inventory.share) * campaigns.share : null;
}

export interface PlanRequest {
  selection: CampaignSelection;
  algorithm: CampaignAlgorithm;
  includeNotReady: boolean;
}

export interface PlanView extends CampaignPlan {
  /** What the operator types to start it. */
  phrase: string;
  /** Identifies this exact plan (items, kids, actions): starting it is refused if the plan changed since. */
  digest: string;
  tooMany: boolean;
}

function digestOf(plan: CampaignPlan): string {
  const hash = createHash('sha256');
  for (const item of plan.items) {
    hash.update(
      `${item.connectionId}\u0000${item.expectedCurrentKid}\u0000${item.expectedNextKid}\u0000${item.algorithm}\u0000${item.action}\n`,
    );
  }
  return hash.digest('base64url');
}

/** The dry run: what a campaign over the selection would do in the tenant in scope. Reads nothing from Auth0. */
export async function campaignPlan(request: PlanRequest): Promise<PlanView> {
  const tenant = currentTenant();
  const plan = planCampaign(await candidates(request.selection), request.selection, {
    algorithm: request.algorithm,
    includeNotReady: request.includeNotReady,
    requestsPerSecond: campaignPace(tenant),
  });
  return {
    ...plan,
    phrase: confirmationPhrase(plan.rotating, tenant.slug),
    digest: digestOf(plan),
    tooMany: plan.items.length > MAX_CAMPAIGN_ITEMS,
  };
}

export class CampaignRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CampaignRefused';
  }
}

/**
 * Starts the campaign the operator confirmed: the plan made again must be the one shown (same digest), the phrase
 * typed exactly; then the campaign, its items and its campaign.started event in one transaction, and a job per item.
 */
export async function startCampaign(
  request: PlanRequest & { digest: string; confirmation: string },
  by: UserRequest,
  /** How the campaign names its selection, when not the plan's own words (the schedule's). */
  selectionLabel?: string,
): Promise<string> {
  const tenant = currentTenant();
  const plan = await campaignPlan(request);
  if (plan.digest !== request.digest) {
    throw new CampaignRefused(
      'The fleet changed since this plan was made (a key rotated, or readiness changed). Review the new plan and confirm it again.',
    );
  }
  if (plan.tooMany) throw new CampaignRefused(`A campaign takes at most ${MAX_CAMPAIGN_ITEMS} connections.`);
  if (plan.rotating === 0) throw new CampaignRefused('Nothing in this plan would be rotated.');
  if (request.confirmation.trim() !== plan.phrase) {
    throw new CampaignRefused(`Type “${plan.phrase}” exactly to start the campaign.`);
  }
  const id = randomUUID();
  const selection = selectionLabel ?? plan.selection;
  const items: NewCampaignItem[] = plan.items.map((item, position) => ({
    connectionId: item.connectionId,
    position,
    connectionName: item.name,
    algorithm: item.algorithm,
    expectedCurrentKid: item.expectedCurrentKid,
    expectedNextKid: item.expectedNextKid,
    plannedReadiness: item.readiness,
    acknowledgedReadiness: item.action === 'rotate_acknowledged' ? item.readiness : null,
    status: item.action === 'rotate' || item.action === 'rotate_acknowledged' ? 'pending' : 'skipped',
    message: skipReason(item),
  }));
  const store = await auditStore();
  await store.startCampaign(
    campaignEvent('campaign.started', by, {
      tenant: tenant.domain,
      campaignId: id,
      selection,
      items: items.length,
    }),
    {
      id,
      tenant: tenant.domain,
      selection,
      share: config().campaigns.share,
      createdBySub: by.user.sub,
      createdByEmail: by.user.email,
      createdByName: by.user.name,
    },
    items,
  );
  await sendItemJobs(
    await jobEngine(),
    items
      .filter((item) => item.status === 'pending')
      .map((item) => ({ tenant: tenant.slug, campaignId: id, connectionId: item.connectionId })),
  );
  return id;
}

export type CampaignControl = 'pause' | 'resume' | 'cancel';

const CONTROL = {
  pause: { type: 'campaign.paused', from: ['running'], to: 'paused' },
  resume: { type: 'campaign.resumed', from: ['paused'], to: 'running' },
  cancel: { type: 'campaign.cancelled', from: ['running', 'paused'], to: 'cancelled' },
} as const;

/**
 * Pause, resume or cancel a campaign of the tenant in scope. In-flight rotations finish and are recorded either way;
 * pausing leaves the rest pending, cancelling marks them cancelled; resuming sends their jobs again.
 */
export async function controlCampaign(id: string, control: CampaignControl, by: UserRequest): Promise<void> {
  const tenant = currentTenant();
  const store = await auditStore();
  const campaign = await store.campaign(id);
  if (!campaign || campaign.tenant !== tenant.domain) throw new CampaignRefused('No such campaign in this tenant.');
  const { type, from, to } = CONTROL[control];
  const counts = await store.campaignCounts(id);
  try {
    await store.changeCampaignState(
      campaignEvent(
        type,
        by,
        { tenant: tenant.domain, campaignId: id, selection: campaign.selection, items: counts.total },
        control === 'cancel' ? { ...counts, cancelled: counts.cancelled + counts.pending, pending: 0 } : undefined,
      ),
      id,
      from,
      to,
    );
  } catch (error) {
    if (error instanceof CampaignStateError) {
      throw new CampaignRefused(
        `The campaign is ${(await store.campaign(id))?.state ?? 'gone'}: it cannot be ${control === 'cancel' ? 'cancelled' : `${control}d`} now.`,
      );
    }
    throw error;
  }
  if (control === 'resume') {
    const items = await store.campaignItems(id);
    const pending = items.filter((item) => item.status === 'pending');
    await sendItemJobs(
      await jobEngine(),
      pending.map((item) => ({ tenant: tenant.slug, campaignId: id, connectionId: item.connectionId })),
    );
    // Nothing left to run (all settled while paused): it is finished now.
    const resumed = await store.campaign(id);
    if (resumed) await finishIfDone({ store }, resumed);
  }
}

function who(row: CampaignRow): string {
  return row.createdByName ?? row.createdByEmail ?? row.createdBySub;
}

function itemView(row: CampaignItemRow): CampaignItemView {
  return {
    connectionId: row.connectionId,
    name: row.connectionName,
    algorithm: row.algorithm,
    plannedReadiness: row.plannedReadiness,
    acknowledged: row.acknowledgedReadiness !== null,
    status: row.status,
    attempts: row.attempts,
    newKid: row.newKid,
    message: row.message,
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/** The tenant in scope's campaigns, newest first, with their counts. */
export async function campaignSummaries(limit = 50): Promise<CampaignSummaryView[]> {
  const store = await auditStore();
  const rows = await store.campaigns(currentTenant().domain, limit);
  return Promise.all(
    rows.map(async (row) => ({
      id: row.id,
      state: row.state,
      selection: row.selection,
      createdBy: who(row),
      createdAt: row.createdAt.toISOString(),
      finishedAt: row.finishedAt?.toISOString() ?? null,
      counts: await store.campaignCounts(row.id),
    })),
  );
}

/** One campaign of the tenant in scope, with every item; null when it is not this tenant's. */
export async function campaignView(id: string): Promise<CampaignView | null> {
  const store = await auditStore();
  const row = await store.campaign(id);
  if (!row || row.tenant !== currentTenant().domain) return null;
  const items = (await store.campaignItems(id)).map(itemView);
  return {
    id: row.id,
    tenant: currentTenant().slug,
    state: row.state,
    selection: row.selection,
    share: row.share,
    createdBy: who(row),
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    counts: await store.campaignCounts(id),
    items,
    secondsLeft: row.state === 'running' ? secondsLeft(items, Date.now()) : null,
  };
}

/** Stops this process's job engine, letting a running item finish first (tests; a graceful shutdown). */
export async function stopJobEngine(): Promise<void> {
  const boss = await jobEngine();
  await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
}

/** Who the schedule's campaigns are recorded as. */
const SCHEDULER = { sub: 'keyshift:schedule', email: null, name: 'Keyshift schedule' };
const schedulerRequest = (): UserRequest => ({ user: SCHEDULER, requestId: randomUUID(), ip: null, userAgent: null });

const DUE_READY: PlanRequest = { selection: { kind: 'due' }, algorithm: 'keep', includeNotReady: false };

function tenantBySlugOrThrow(slug: string): TenantConfig {
  const tenant = tenantBySlug(slug);
  if (!tenant) throw new Error(`no tenant ${slug}`);
  return tenant;
}

/** The scheduler wired to the configured store, the tenants, the campaigns and the alert channels. */
export function liveSchedulerDependencies(now: () => Date = () => new Date()): SchedulerDependencies {
  return {
    schedules: async () => (await auditStore()).schedules(),
    tenantOf: (domain) => {
      const tenant = config().tenants.find((entry) => entry.domain === domain);
      return tenant
        ? { slug: tenant.slug, name: tenant.name, environment: tenant.environment, domain: tenant.domain }
        : undefined;
    },
    claimRun: async (domain, start) => (await auditStore()).claimScheduleRun(domain, start),
    recordRun: async (domain, start, campaignId) => (await auditStore()).recordScheduleRun(domain, start, campaignId),
    run: async (domain, start) => (await auditStore()).scheduleRun(domain, start),
    startDue: (slug) =>
      inTenant(tenantBySlugOrThrow(slug), async () => {
        const plan = await campaignPlan(DUE_READY);
        const notReady = plan.items
          .filter((item) => item.action === 'skip_not_ready')
          .map((item) => ({ id: item.connectionId, name: item.name, reason: item.readinessReason }));
        if (plan.rotating === 0 || plan.tooMany) return { campaignId: null, rotating: 0, notReady };
        const campaignId = await startCampaign(
          { ...DUE_READY, digest: plan.digest, confirmation: plan.phrase },
          schedulerRequest(),
          'scheduled: due and ready',
        );
        return { campaignId, rotating: plan.rotating, notReady };
      }),
    preview: (slug) =>
      inTenant(tenantBySlugOrThrow(slug), async () => {
        const plan = await campaignPlan(DUE_READY);
        return { due: plan.items.length, ready: plan.rotating };
      }),
    campaign: async (campaignId) => {
      const store = await auditStore();
      const row = await store.campaign(campaignId);
      return row ? { state: row.state, counts: { ...(await store.campaignCounts(campaignId)) } } : null;
    },
    cancel: (slug, campaignId) =>
      inTenant(tenantBySlugOrThrow(slug), () => controlCampaign(campaignId, 'cancel', schedulerRequest())),
    notify: async (alerts) => {
      const targets = targetsOf(config().notify);
      if (targets.length === 0) return;
      const store = await auditStore();
      for (const alert of alerts) await store.enqueueDeliveries(deliveriesFor(alert, targets, now()));
    },
    url: (slug, campaignId) =>
      new URL(tenantHref(slug, campaignId ? `/campaigns/${campaignId}` : '/campaigns'), config().nextAuth.url).href,
    now,
  };
}

export const DEFAULT_SCHEDULE = { enabled: false, cron: '0 2 * * 6', timeZone: 'UTC', windowMinutes: 120 };

/** The tenant in scope's schedule (off by default), with its next window. */
export async function scheduleView(now: Date = new Date()): Promise<ScheduleView> {
  const tenant = currentTenant();
  const row = (await (await auditStore()).schedules()).find((entry) => entry.tenant === tenant.domain);
  const settings = row ?? { ...DEFAULT_SCHEDULE, updatedAt: null };
  const window = settings.enabled ? (windowAt(settings, now) ?? nextWindow(settings, now)) : null;
  return {
    enabled: settings.enabled,
    cron: settings.cron,
    timeZone: settings.timeZone,
    windowMinutes: settings.windowMinutes,
    updatedAt: settings.updatedAt?.toISOString() ?? null,
    next: window
      ? { start: window.start.toISOString(), end: window.end.toISOString(), open: window.start <= now }
      : null,
  };
}

/** A rotator turns the tenant's schedule on or off or changes its window; refused with a sentence per bad field. */
export async function setSchedule(
  input: { enabled: boolean; cron: string; timeZone: string; windowMinutes: number },
  by: UserRequest,
): Promise<ScheduleView> {
  const problems = scheduleProblems(input);
  if (Object.keys(problems).length > 0) throw new ScheduleRefused(problems);
  const tenant = currentTenant();
  const spec = { cron: input.cron.trim(), timeZone: input.timeZone.trim(), windowMinutes: input.windowMinutes };
  await (await auditStore()).saveSchedule(
    scheduleChangedEvent(by, tenant.domain, { enabled: input.enabled, ...spec }),
    {
      tenant: tenant.domain,
      enabled: input.enabled,
      ...spec,
      updatedBySub: by.user.sub,
    },
  );
  return scheduleView();
}

export class ScheduleRefused extends Error {
  constructor(readonly fieldErrors: Record<string, string>) {
    super(Object.values(fieldErrors).join(' '));
    this.name = 'ScheduleRefused';
  }
}
