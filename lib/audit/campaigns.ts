import 'server-only';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { AuditTx } from './append';
import type { AuditDb } from './database';
import { type CampaignItemStatus, campaignItems, campaigns, rotationSchedules, scheduleRuns } from './schema';
import type { CampaignCounts } from './view/campaign-counts';

export type CampaignRow = typeof campaigns.$inferSelect;
export type CampaignItemRow = typeof campaignItems.$inferSelect;
export type NewCampaign = Omit<CampaignRow, 'createdAt' | 'updatedAt' | 'finishedAt' | 'state'>;
/** An item as planned: `pending`, or already `skipped` (with the reason in `message`). */
export type NewCampaignItem = Omit<
  CampaignItemRow,
  'campaignId' | 'requestId' | 'attempts' | 'newKid' | 'startedAt' | 'finishedAt'
> & { status: 'pending' | 'skipped' };
export type CampaignState = CampaignRow['state'];

/** Final: an item in one of these states is never run again. */
export const FINAL_ITEM_STATUSES: readonly CampaignItemStatus[] = [
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
  'unknown',
];

/** The campaign and its plan, written in the transaction of its campaign.started event. */
export function insertCampaign(campaign: NewCampaign, items: readonly NewCampaignItem[]) {
  return async (tx: AuditTx) => {
    await tx.insert(campaigns).values({ ...campaign, state: 'running' });
    // In slices: a plan of thousands stays under PostgreSQL's parameter limit.
    for (let start = 0; start < items.length; start += 500) {
      const slice = items.slice(start, start + 500);
      await tx.insert(campaignItems).values(
        slice.map((item) => ({
          ...item,
          campaignId: campaign.id,
          finishedAt: item.status === 'skipped' ? new Date() : null,
        })),
      );
    }
  };
}

/**
 * Moves a campaign from one of `from` to `to`, in the transaction of the event that records it; throws
 * CampaignStateError when it is in none of them (another operator, or the last item, got there first), which rolls
 * the event back. Cancelling also cancels every item not yet claimed.
 */
export function changeCampaignState(id: string, from: readonly CampaignState[], to: CampaignState, at: Date) {
  return async (tx: AuditTx) => {
    const changed = await tx
      .update(campaigns)
      .set({ state: to, updatedAt: at, ...(to === 'cancelled' || to === 'finished' ? { finishedAt: at } : {}) })
      .where(and(eq(campaigns.id, id), inArray(campaigns.state, [...from])))
      .returning({ id: campaigns.id });
    if (changed.length === 0) throw new CampaignStateError(id, to);
    if (to === 'cancelled') {
      await tx
        .update(campaignItems)
        .set({ status: 'cancelled', finishedAt: at, message: 'Cancelled before it was started.' })
        .where(and(eq(campaignItems.campaignId, id), eq(campaignItems.status, 'pending')));
    }
  };
}

export class CampaignStateError extends Error {
  constructor(
    readonly campaignId: string,
    readonly to: CampaignState,
  ) {
    super(`campaign ${campaignId} cannot become ${to} from its current state`);
    this.name = 'CampaignStateError';
  }
}

export async function readCampaign(db: AuditDb, id: string): Promise<CampaignRow | null> {
  const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id)).limit(1);
  return row ?? null;
}

export async function listCampaigns(db: AuditDb, tenant: string, limit: number): Promise<CampaignRow[]> {
  return db
    .select()
    .from(campaigns)
    .where(eq(campaigns.tenant, tenant))
    .orderBy(desc(campaigns.createdAt), desc(campaigns.id))
    .limit(limit);
}

export async function readCampaignItems(db: AuditDb, id: string): Promise<CampaignItemRow[]> {
  return db.select().from(campaignItems).where(eq(campaignItems.campaignId, id)).orderBy(asc(campaignItems.position));
}

export async function readCampaignItem(
  db: AuditDb,
  campaignId: string,
  connectionId: string,
): Promise<CampaignItemRow | null> {
  const [row] = await db
    .select()
    .from(campaignItems)
    .where(and(eq(campaignItems.campaignId, campaignId), eq(campaignItems.connectionId, connectionId)))
    .limit(1);
  return row ?? null;
}

/** Campaigns in a state that still has work: running ones (their pending items are owed jobs). */
export async function runningCampaigns(db: AuditDb): Promise<CampaignRow[]> {
  return db.select().from(campaigns).where(eq(campaigns.state, 'running'));
}

/**
 * Claims a pending item of a running campaign for one attempt under `requestId`, in one statement: of two runners
 * that got the same item, exactly one gets the row back.
 */
export async function claimCampaignItem(
  db: AuditDb,
  campaignId: string,
  connectionId: string,
  requestId: string,
  at: Date,
): Promise<CampaignItemRow | null> {
  const [row] = await db
    .update(campaignItems)
    .set({ status: 'running', requestId, attempts: sql`${campaignItems.attempts} + 1`, startedAt: at })
    .where(
      and(
        eq(campaignItems.campaignId, campaignId),
        eq(campaignItems.connectionId, connectionId),
        eq(campaignItems.status, 'pending'),
        sql`exists (select 1 from ${campaigns} where ${campaigns.id} = ${campaignId} and ${campaigns.state} = 'running')`,
      ),
    )
    .returning();
  return row ?? null;
}

/**
 * Records how a running item ended (`status` final), or hands it back (`pending`: it definitely did nothing and may
 * be tried again). Only the attempt holding `requestId` can, so a stale runner cannot overwrite a newer attempt.
 */
export async function settleCampaignItem(
  db: AuditDb,
  campaignId: string,
  connectionId: string,
  requestId: string,
  outcome: CampaignItemOutcome,
): Promise<boolean> {
  const final = outcome.status !== 'pending';
  const changed = await db
    .update(campaignItems)
    .set({
      status: outcome.status,
      message: outcome.message,
      newKid: outcome.newKid ?? null,
      finishedAt: final ? outcome.at : null,
      ...(final ? {} : { requestId: null }),
    })
    .where(
      and(
        eq(campaignItems.campaignId, campaignId),
        eq(campaignItems.connectionId, connectionId),
        eq(campaignItems.status, 'running'),
        eq(campaignItems.requestId, requestId),
      ),
    )
    .returning({ id: campaignItems.connectionId });
  return changed.length > 0;
}

export interface CampaignItemOutcome {
  status: CampaignItemStatus;
  message: string | null;
  newKid?: string | null;
  at: Date;
}

export type { CampaignCounts };

export async function campaignCounts(db: AuditDb, id: string): Promise<CampaignCounts> {
  const rows = await db
    .select({ status: campaignItems.status, count: sql<number>`count(*)::int` })
    .from(campaignItems)
    .where(eq(campaignItems.campaignId, id))
    .groupBy(campaignItems.status);
  const counts: CampaignCounts = {
    total: 0,
    pending: 0,
    running: 0,
    succeeded: 0,
    failed: 0,
    skipped: 0,
    cancelled: 0,
    unknown: 0,
  };
  for (const row of rows) {
    counts[row.status] = Number(row.count);
    counts.total += Number(row.count);
  }
  return counts;
}

export type ScheduleRow = typeof rotationSchedules.$inferSelect;
export type ScheduleWrite = Omit<ScheduleRow, 'updatedAt'>;

export async function readSchedules(db: AuditDb): Promise<ScheduleRow[]> {
  return db.select().from(rotationSchedules);
}

/** A tenant's schedule, upserted in the transaction of its schedule.changed event. */
export function writeSchedule(row: ScheduleWrite) {
  return async (tx: AuditTx) => {
    const { tenant: _tenant, ...set } = row;
    await tx
      .insert(rotationSchedules)
      .values(row)
      .onConflictDoUpdate({ target: rotationSchedules.tenant, set: { ...set, updatedAt: new Date() } });
  };
}

/** Claims the tenant's window: true for exactly one caller, whichever instance gets there first. */
export async function claimScheduleRun(db: AuditDb, tenant: string, windowStart: Date): Promise<boolean> {
  const inserted = await db
    .insert(scheduleRuns)
    .values({ tenant, windowStart })
    .onConflictDoNothing()
    .returning({ tenant: scheduleRuns.tenant });
  return inserted.length > 0;
}

export async function recordScheduleRun(
  db: AuditDb,
  tenant: string,
  windowStart: Date,
  campaignId: string,
): Promise<void> {
  await db
    .update(scheduleRuns)
    .set({ campaignId })
    .where(and(eq(scheduleRuns.tenant, tenant), eq(scheduleRuns.windowStart, windowStart)));
}

export async function readScheduleRun(
  db: AuditDb,
  tenant: string,
  windowStart: Date,
): Promise<{ campaignId: string | null } | null> {
  const [row] = await db
    .select({ campaignId: scheduleRuns.campaignId })
    .from(scheduleRuns)
    .where(and(eq(scheduleRuns.tenant, tenant), eq(scheduleRuns.windowStart, windowStart)))
    .limit(1);
  return row ?? null;
}
