import type { AuditEvent, AuditStore, CampaignItemOutcome, CampaignItemRow, CampaignRow } from '@/lib/audit';
import { CampaignStateError, FINAL_ITEM_STATUSES } from '@/lib/audit/campaigns';
import { campaignEvent } from '@/lib/audit/events';
import { isOutcomeType } from '@/lib/audit/outcomes';
import { Auth0Error } from '@/lib/auth0/errors';
import { isSigningAlg } from '@/lib/certs/signing-algorithms';
import { RotationRefused, RotationUnsettled } from '@/lib/rotation/errors';
import type { AcknowledgeableReadiness, RotationRequest, RotationSuccess } from '@/lib/rotation/types';
import { type ItemJob, RetryLater } from './engine';
import { REQUESTS_PER_ROTATION } from './plan';

/**
 * One item of a campaign, as a job runs it. The rotation itself is exactly a single rotation's path (rotate.ts: the
 * connection's lock, the kids the plan showed as the precondition, the readiness gate, the audit, settling an
 * ambiguous answer); around it, the item's own record:
 *   - claimed pending → running under a new request id, in one statement, so of two runners one has it;
 *   - a running item met again (its runner died, or its job expired) is settled from the audit trail by that request
 *     id: an outcome there is the item's outcome; a request without one is settled by reading the keys back first;
 *     no request at all means Auth0 was never called, and only then is it tried again;
 *   - an attempt that certainly did nothing and may work later (a lock held, Auth0 busy or down before acting) goes
 *     back to pending and the job is retried; everything else is final.
 */

export type CampaignStore = Pick<
  AuditStore,
  | 'campaign'
  | 'campaignItem'
  | 'claimCampaignItem'
  | 'settleCampaignItem'
  | 'eventsForRequest'
  | 'campaignCounts'
  | 'changeCampaignState'
>;

export interface RunnerDependencies {
  store: CampaignStore;
  /** A single rotation (rotate.ts with its live collaborators), in the campaign's tenant. */
  rotate(request: RotationRequest): Promise<RotationSuccess>;
  /** Settles a request left without an outcome now, if its connection's lock is free (settle-dangling.ts). */
  settleRequest(requestId: string): Promise<void>;
  /** Waits until the campaign's share of the rate budget lets this many requests go. */
  acquire(requests: number): Promise<void>;
  newRequestId(): string;
  now(): Date;
}

/** Attempts that did nothing (Auth0 busy or down) before an item is given up as failed. */
export const MAX_ITEM_ATTEMPTS = 5;

export async function runCampaignItem(deps: RunnerDependencies, job: ItemJob): Promise<void> {
  const { store } = deps;
  const campaign = await store.campaign(job.campaignId);
  if (!campaign) return;
  let item = await store.campaignItem(job.campaignId, job.connectionId);
  if (!item) return;
  if (item.status === 'running') {
    item = await recover(deps, item);
    if (!item) return finishIfDone(deps, campaign);
  }
  if (item.status !== 'pending') return finishIfDone(deps, campaign);
  // Paused: the item waits for resume (which sends its job again). Cancelled: the cancel marked it.
  if (campaign.state !== 'running') return;

  await deps.acquire(REQUESTS_PER_ROTATION);
  const requestId = deps.newRequestId();
  const claimed = await store.claimCampaignItem(job.campaignId, job.connectionId, requestId, deps.now());
  // Another runner has it, or the campaign was paused or cancelled while this one waited for the budget.
  if (!claimed) return;
  const outcome = await rotateItem(deps, campaign, claimed, requestId);
  await store.settleCampaignItem(job.campaignId, job.connectionId, requestId, outcome);
  if (outcome.status === 'pending') throw new RetryLater(outcome.message ?? 'tried again later');
  await finishIfDone(deps, campaign);
}

async function rotateItem(
  deps: RunnerDependencies,
  campaign: CampaignRow,
  item: CampaignItemRow,
  requestId: string,
): Promise<CampaignItemOutcome> {
  const at = () => deps.now();
  if (!isSigningAlg(item.algorithm) || !item.expectedCurrentKid || !item.expectedNextKid) {
    return { status: 'skipped', message: 'No keys to rotate were planned for this connection.', at: at() };
  }
  try {
    const success = await deps.rotate({
      connectionId: item.connectionId,
      signingAlg: item.algorithm,
      confirmName: item.connectionName,
      expectedCurrentKid: item.expectedCurrentKid,
      expectedNextKid: item.expectedNextKid,
      ...(item.acknowledgedReadiness
        ? { acknowledgedReadiness: item.acknowledgedReadiness as AcknowledgeableReadiness }
        : {}),
      user: { sub: campaign.createdBySub, email: campaign.createdByEmail, name: campaign.createdByName },
      requestId,
      clientIp: null,
      userAgent: null,
      campaignId: campaign.id,
    });
    return {
      status: 'succeeded',
      newKid: success.key.kid,
      message: success.settledByReadBack ? 'Auth0’s answer was lost; reading the keys back shows it rotated.' : null,
      at: at(),
    };
  } catch (error) {
    return outcomeOfFailure(deps, item, requestId, error);
  }
}

async function outcomeOfFailure(
  deps: RunnerDependencies,
  item: CampaignItemRow,
  requestId: string,
  error: unknown,
): Promise<CampaignItemOutcome> {
  const at = deps.now();
  if (error instanceof RotationUnsettled) return { status: 'unknown', message: error.message, at };
  if (error instanceof RotationRefused) {
    switch (error.code) {
      case 'not_ready':
        return { status: 'skipped', message: error.message, at };
      case 'conflict':
      case 'unavailable':
        return again(item, error.message, at);
      default:
        return { status: 'failed', message: error.message, at };
    }
  }
  if (error instanceof Auth0Error) {
    // rotate.ts has settled an ambiguous answer by then: what reaches here did nothing upstream.
    const status = error.details.status ?? null;
    const temporary = status === null || status === 429 || status >= 500;
    return temporary ? again(item, error.message, at) : { status: 'failed', message: error.message, at };
  }
  // Anything else (the database, say): whether Auth0 was called is for the trail to say.
  const requested = (await deps.store.eventsForRequest(requestId).catch(() => null)) ?? null;
  if (requested && !requested.some((event) => event.type === 'rotation.requested' && event.errorCode === null)) {
    return again(item, String(error), at);
  }
  throw error;
}

function again(item: CampaignItemRow, message: string, at: Date): CampaignItemOutcome {
  if (item.attempts >= MAX_ITEM_ATTEMPTS) {
    return { status: 'failed', message: `${message} (gave up after ${item.attempts} attempts; nothing changed)`, at };
  }
  return { status: 'pending', message, at };
}

/**
 * A running item whose runner is gone: its outcome from the trail (settling a request left without one first), or,
 * when the trail shows no request reached Auth0, the item handed back as pending. Null: the item is final now.
 */
async function recover(deps: RunnerDependencies, item: CampaignItemRow): Promise<CampaignItemRow | null> {
  const { store } = deps;
  const requestId = item.requestId;
  if (!requestId) return item;
  let events = await store.eventsForRequest(requestId);
  const sent = events.find((event) => event.type === 'rotation.requested' && event.errorCode === null);
  if (sent && !events.some((event) => isOutcomeType(event.type))) {
    await deps.settleRequest(requestId);
    events = await store.eventsForRequest(requestId);
    if (!events.some((event) => isOutcomeType(event.type))) {
      throw new RetryLater(`the rotation ${requestId} is still being settled`);
    }
  }
  const outcome = events.find((event) => isOutcomeType(event.type));
  if (outcome) {
    const settled = outcomeFromEvents(events, outcome);
    // A rotation that reached Auth0's door and failed without a refusal's code did nothing (a failed outcome always
    // means the keys did not change; the settler's read-back writes one so): tried again, within the attempts.
    const didNothing = settled.status === 'failed' && sent !== undefined && outcome.errorCode === null;
    const next = didNothing ? again(item, settled.message ?? 'The rotation did nothing.', settled.at) : settled;
    await store.settleCampaignItem(item.campaignId, item.connectionId, requestId, next);
    return next.status === 'pending' ? store.campaignItem(item.campaignId, item.connectionId) : null;
  }
  // No request reached Auth0 (or none was written): nothing happened, it may go again.
  const at = deps.now();
  await store.settleCampaignItem(item.campaignId, item.connectionId, requestId, {
    status: 'pending',
    message: 'The runner stopped before calling Auth0; tried again.',
    at,
  });
  return store.campaignItem(item.campaignId, item.connectionId);
}

function outcomeFromEvents(events: readonly AuditEvent[], outcome: AuditEvent): CampaignItemOutcome {
  const at = outcome.occurredAt;
  const message = outcome.message ?? null;
  if (outcome.type === 'rotation.succeeded') return { status: 'succeeded', newKid: outcome.newKid, message, at };
  if (outcome.type === 'rotation.unknown') return { status: 'unknown', message, at };
  const refusal = events.find((event) => event.type === 'rotation.requested')?.errorCode;
  return { status: refusal === 'not_ready' ? 'skipped' : 'failed', message, at };
}

/** A running campaign with nothing left to run is finished, once (whoever settles its last item). */
export async function finishIfDone(deps: Pick<RunnerDependencies, 'store'>, campaign: CampaignRow): Promise<void> {
  const counts = await deps.store.campaignCounts(campaign.id);
  if (counts.pending > 0 || counts.running > 0) return;
  const { total: _total, ...byStatus } = counts;
  const tally = Object.fromEntries(Object.entries(byStatus).filter(([status]) => isFinal(status)));
  try {
    await deps.store.changeCampaignState(
      campaignEvent(
        'campaign.finished',
        null,
        { tenant: campaign.tenant, campaignId: campaign.id, selection: campaign.selection, items: counts.total },
        tally,
      ),
      campaign.id,
      ['running'],
      'finished',
    );
  } catch (error) {
    if (!(error instanceof CampaignStateError)) throw error;
  }
}

function isFinal(status: string): boolean {
  return (FINAL_ITEM_STATUSES as readonly string[]).includes(status);
}
