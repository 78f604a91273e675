import 'server-only';
import { and, asc, desc, eq, gt, inArray, isNotNull, lt, notInArray, sql } from 'drizzle-orm';
import type { AppendOptions } from './append';
import type { AuditDb } from './database';
import { auditEvents, keyInventory, rotationPolicies, TENANT_POLICY } from './schema';

export type InventoryRow = typeof keyInventory.$inferSelect;
export type RotationPolicyRow = typeof rotationPolicies.$inferSelect;
export type RotationPolicyWrite = Omit<RotationPolicyRow, 'updatedAt'>;
export { TENANT_POLICY };

/** Rows per insert statement: well under PostgreSQL's 65,535 bind parameters at 15 columns a row. */
const WRITE_BATCH = 500;

/** Every inventory row of the tenant (by domain), in connection-name order. */
export async function readInventory(db: AuditDb, tenant: string): Promise<InventoryRow[]> {
  return db
    .select()
    .from(keyInventory)
    .where(eq(keyInventory.tenant, tenant))
    .orderBy(asc(keyInventory.connectionName), asc(keyInventory.connectionId));
}

/** Replaces the snapshot of each connection given (a read of its keys); `stale_since` is cleared by a fresh read. */
export async function writeInventory(db: AuditDb, rows: readonly InventoryRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += WRITE_BATCH) {
    const batch = rows.slice(start, start + WRITE_BATCH);
    await db
      .insert(keyInventory)
      .values(batch)
      .onConflictDoUpdate({
        target: [keyInventory.tenant, keyInventory.connectionId],
        set: {
          connectionName: sql`excluded.connection_name`,
          strategy: sql`excluded.strategy`,
          keysState: sql`excluded.keys_state`,
          keys: sql`excluded.keys`,
          currentKid: sql`excluded.current_kid`,
          currentAlgorithm: sql`excluded.current_algorithm`,
          currentSince: sql`excluded.current_since`,
          currentNotAfter: sql`excluded.current_not_after`,
          nextKid: sql`excluded.next_kid`,
          nextNotAfter: sql`excluded.next_not_after`,
          checkedAt: sql`excluded.checked_at`,
          // A change noticed in the logs after this read began still needs a read; one noticed before does not.
          staleSince: sql`case when ${keyInventory.staleSince} > excluded.checked_at then ${keyInventory.staleSince} else excluded.stale_since end`,
          error: sql`excluded.error`,
        },
      });
  }
}

/**
 * The trail says these connections' keys changed at `at`: the filler reads them before anything else. Rows read after
 * the change (their read began later) are left as they are.
 */
export async function markInventoryStale(
  db: AuditDb,
  tenant: string,
  connectionIds: readonly string[],
  at: Date,
): Promise<number> {
  if (connectionIds.length === 0) return 0;
  const marked = await db
    .update(keyInventory)
    .set({
      staleSince: sql`coalesce(least(${keyInventory.staleSince}, ${at.toISOString()}::timestamptz), ${at.toISOString()}::timestamptz)`,
    })
    .where(
      and(
        eq(keyInventory.tenant, tenant),
        inArray(keyInventory.connectionId, [...connectionIds]),
        lt(keyInventory.checkedAt, at),
      ),
    )
    .returning({ id: keyInventory.connectionId });
  return marked.length;
}

/** The tenant's rows marked stale, oldest change first. */
export async function readStaleInventory(db: AuditDb, tenant: string, limit: number): Promise<InventoryRow[]> {
  return db
    .select()
    .from(keyInventory)
    .where(and(eq(keyInventory.tenant, tenant), isNotNull(keyInventory.staleSince)))
    .orderBy(asc(keyInventory.staleSince))
    .limit(limit);
}

/** Drops the rows of connections that a complete listing no longer has (deleted, or no longer key-capable). */
export async function pruneInventory(db: AuditDb, tenant: string, present: readonly string[]): Promise<number> {
  const condition =
    present.length === 0
      ? eq(keyInventory.tenant, tenant)
      : and(eq(keyInventory.tenant, tenant), notInArray(keyInventory.connectionId, [...present]));
  const removed = await db.delete(keyInventory).where(condition).returning({ id: keyInventory.connectionId });
  return removed.length;
}

/** The tenant's policy rows: its default (connection id TENANT_POLICY) and the per-connection overrides. */
export async function readRotationPolicies(db: AuditDb, tenant: string): Promise<RotationPolicyRow[]> {
  return db.select().from(rotationPolicies).where(eq(rotationPolicies.tenant, tenant));
}

/** Written only alongside its audit event (store.ts `saveRotationPolicy`). */
export function writeRotationPolicy(row: RotationPolicyWrite): NonNullable<AppendOptions['alongside']> {
  return async (tx) => {
    await tx
      .insert(rotationPolicies)
      .values(row)
      .onConflictDoUpdate({
        target: [rotationPolicies.tenant, rotationPolicies.connectionId],
        set: { periodDays: row.periodDays, updatedBySub: row.updatedBySub, updatedAt: sql`now()` },
      });
  };
}

/** Events after which a connection's keys are not what they were: rotations (any outcome but failed), provisioning. */
const KEY_CHANGES = ['rotation.succeeded', 'rotation.unknown', 'rotation.external', 'keys.provisioned'] as const;

export interface KeyChange {
  eventId: number;
  connectionId: string;
  occurredAt: Date;
}

/** The latest key-changing event of each connection of the tenant after event `afterId`, in one query. */
export async function keyChangesSince(db: AuditDb, tenant: string, afterId: number): Promise<KeyChange[]> {
  const rows = await db
    .selectDistinctOn([auditEvents.connectionId], {
      eventId: auditEvents.id,
      connectionId: auditEvents.connectionId,
      occurredAt: auditEvents.occurredAt,
    })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.tenant, tenant),
        inArray(auditEvents.type, [...KEY_CHANGES]),
        gt(auditEvents.id, afterId),
        isNotNull(auditEvents.connectionId),
      ),
    )
    .orderBy(auditEvents.connectionId, desc(auditEvents.id));
  return rows.flatMap((row) => (row.connectionId ? [{ ...row, connectionId: row.connectionId }] : []));
}

/** Rotations by outcome per tenant and connection, for /metrics: one grouped query over the outcome events. */
export interface RotationCount {
  tenant: string;
  connectionId: string;
  connectionName: string | null;
  outcome: 'succeeded' | 'failed' | 'unknown' | 'external';
  count: number;
}

export async function rotationCounts(db: AuditDb): Promise<RotationCount[]> {
  const rows = await db
    .select({
      tenant: auditEvents.tenant,
      connectionId: auditEvents.connectionId,
      connectionName: sql<string | null>`max(${auditEvents.connectionName})`,
      type: auditEvents.type,
      count: sql<number>`count(*)::int`,
    })
    .from(auditEvents)
    .where(
      and(
        inArray(auditEvents.type, ['rotation.succeeded', 'rotation.failed', 'rotation.unknown', 'rotation.external']),
        isNotNull(auditEvents.connectionId),
        isNotNull(auditEvents.tenant),
      ),
    )
    .groupBy(auditEvents.tenant, auditEvents.connectionId, auditEvents.type);
  return rows.map((row) => ({
    tenant: row.tenant ?? '',
    connectionId: row.connectionId ?? '',
    connectionName: row.connectionName,
    outcome: row.type.slice('rotation.'.length) as RotationCount['outcome'],
    count: Number(row.count),
  }));
}
