import 'server-only';
import { and, asc, desc, eq, gt, inArray, lte, max, sql } from 'drizzle-orm';
import type { AuditDb } from './database';
import type { AuditEventType } from './schema';
import { auditEvents, notificationDeliveries, trailCursors } from './schema';
import type { AuditEvent } from './types';

export type DeliveryRow = typeof notificationDeliveries.$inferSelect;
export type NewDelivery = Omit<DeliveryRow, 'attempts' | 'lastError' | 'sentAt' | 'createdAt' | 'status'>;

/** Enqueues each delivery unless one with its dedupe key exists; answers how many were new. */
export async function enqueueDeliveries(db: AuditDb, rows: readonly NewDelivery[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await db
    .insert(notificationDeliveries)
    .values(rows.map((row) => ({ ...row, status: 'pending' as const })))
    .onConflictDoNothing({ target: notificationDeliveries.dedupeKey })
    .returning({ id: notificationDeliveries.id });
  return inserted.length;
}

/**
 * Claims up to `limit` pending deliveries due at `now`: each attempt is counted and its next attempt moved `leaseMs`
 * ahead, in one statement, rows another session holds skipped. A sender that dies leaves the row due again after the
 * lease; one that finishes records the outcome.
 */
export async function claimDeliveries(db: AuditDb, now: Date, leaseMs: number, limit: number): Promise<DeliveryRow[]> {
  const due = db
    .select({ id: notificationDeliveries.id })
    .from(notificationDeliveries)
    .where(and(eq(notificationDeliveries.status, 'pending'), lte(notificationDeliveries.nextAttemptAt, now)))
    .orderBy(asc(notificationDeliveries.nextAttemptAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  return db
    .update(notificationDeliveries)
    .set({
      attempts: sql`${notificationDeliveries.attempts} + 1`,
      nextAttemptAt: new Date(now.getTime() + leaseMs),
    })
    .where(inArray(notificationDeliveries.id, due))
    .returning();
}

export async function recordDelivery(
  db: AuditDb,
  id: string,
  outcome:
    | { status: 'sent'; at: Date }
    | { status: 'pending'; error: string; nextAttemptAt: Date }
    | { status: 'failed'; error: string },
): Promise<void> {
  const set =
    outcome.status === 'sent'
      ? { status: 'sent' as const, sentAt: outcome.at, lastError: null }
      : outcome.status === 'pending'
        ? { lastError: outcome.error, nextAttemptAt: outcome.nextAttemptAt }
        : { status: 'failed' as const, lastError: outcome.error };
  await db.update(notificationDeliveries).set(set).where(eq(notificationDeliveries.id, id));
}

/** The tenant's deliveries, newest first. */
export async function listDeliveries(db: AuditDb, tenant: string, limit: number): Promise<DeliveryRow[]> {
  return db
    .select()
    .from(notificationDeliveries)
    .where(eq(notificationDeliveries.tenant, tenant))
    .orderBy(desc(notificationDeliveries.createdAt), desc(notificationDeliveries.id))
    .limit(limit);
}

/** Where the named reader of the trail got to; on its first read, the trail's end (history raises no alerts). */
export async function trailCursor(db: AuditDb, name: string): Promise<number> {
  const [row] = await db.select().from(trailCursors).where(eq(trailCursors.name, name)).limit(1);
  if (row) return row.eventId;
  const [end] = await db.select({ id: max(auditEvents.id) }).from(auditEvents);
  const eventId = end?.id ?? 0;
  await db.insert(trailCursors).values({ name, eventId }).onConflictDoNothing();
  const [stored] = await db.select().from(trailCursors).where(eq(trailCursors.name, name)).limit(1);
  return stored?.eventId ?? eventId;
}

/** Moves the cursor forward (never back: two instances may both advance it). */
export async function advanceTrailCursor(db: AuditDb, name: string, eventId: number): Promise<void> {
  await db
    .insert(trailCursors)
    .values({ name, eventId })
    .onConflictDoUpdate({
      target: trailCursors.name,
      set: { eventId: sql`greatest(${trailCursors.eventId}, excluded.event_id)` },
    });
}

/** Events of these types after `afterId`, oldest first. */
export async function eventsAfter(
  db: AuditDb,
  types: readonly AuditEventType[],
  afterId: number,
  limit: number,
): Promise<AuditEvent[]> {
  return db
    .select()
    .from(auditEvents)
    .where(and(gt(auditEvents.id, afterId), inArray(auditEvents.type, [...types])))
    .orderBy(asc(auditEvents.id))
    .limit(limit);
}
