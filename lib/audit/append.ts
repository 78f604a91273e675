import 'server-only';
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { CHAIN_LOCK_KEY, GENESIS_HASH, hashEvent } from './chain';
import { type AuditDb, rowsOf } from './database';
import { auditEvents, pendingRotations } from './schema';
import { type AuditEvent, type AuditEventInput, AuditInputError, auditEventInput, isOutcomeType } from './types';

/**
 * Appends one event to the chain. The transaction-scoped advisory lock serialises appends from every process on the
 * database, so "read the last hash, then insert after it" cannot interleave: there is one linear chain, and ids
 * (taken under the same lock) ascend in chain order. The lock is released by COMMIT or ROLLBACK.
 */
export async function appendEvent(db: AuditDb, input: AuditEventInput): Promise<AuditEvent> {
  const parsed = auditEventInput.safeParse(input);
  if (!parsed.success) throw new AuditInputError(`Invalid audit event: ${z.prettifyError(parsed.error)}`);
  const event = parsed.data;

  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK_KEY}::bigint)`);
    // A separate statement from the lock: in READ COMMITTED each statement sees what committed before it began, so
    // this one sees the previous holder's row. The time never goes back (a clock step on the database host cannot
    // reorder the trail), which is what lets a date range be answered as an id range (filters.ts).
    const [next] = rowsOf(
      await tx.execute(sql`
        with last as (select hash, occurred_at from ${auditEvents} order by id desc limit 1)
        select nextval(pg_get_serial_sequence('audit_events', 'id'))::text as id,
          floor(extract(epoch from greatest(clock_timestamp(), (select occurred_at from last))) * 1000)::text as now_ms,
          (select hash from last) as prev_hash`),
    );
    if (!next) throw new Error('The audit database returned no sequence value');

    let requestedEventId: number | null = null;
    if (event.type === 'rotation.requested' || isOutcomeType(event.type)) {
      const [requested] = await tx
        .select({ id: auditEvents.id, connectionId: auditEvents.connectionId })
        .from(auditEvents)
        .where(and(eq(auditEvents.requestId, event.requestId ?? ''), eq(auditEvents.type, 'rotation.requested')))
        .orderBy(asc(auditEvents.id))
        .limit(1);
      if (event.type === 'rotation.requested' && requested) {
        throw new AuditInputError(`A rotation with requestId ${event.requestId} was already requested`);
      }
      if (requested && requested.connectionId !== event.connectionId) {
        throw new AuditInputError(
          `Outcome for requestId ${event.requestId} names connection ${event.connectionId}, ` +
            `but the rotation was requested for ${requested.connectionId}`,
        );
      }
      // An outcome whose request is missing is still recorded (losing it would be worse); it appears in the raw
      // list, not in listRotations.
      if (event.type !== 'rotation.requested') requestedEventId = requested?.id ?? null;
    }

    const row: Omit<AuditEvent, 'hash'> = {
      ...event,
      id: Number(next.id),
      occurredAt: new Date(Number(next.now_ms)),
      requestedEventId,
      prevHash: typeof next.prev_hash === 'string' ? next.prev_hash : GENESIS_HASH,
    };
    const [stored] = await tx
      .insert(auditEvents)
      .values({ ...row, hash: hashEvent(row) })
      .returning();
    if (!stored) throw new Error('The audit database did not return the appended event');
    if (stored.type === 'rotation.requested') {
      await tx.insert(pendingRotations).values({ requestedEventId: stored.id });
    } else if (stored.requestedEventId !== null) {
      await tx.delete(pendingRotations).where(eq(pendingRotations.requestedEventId, stored.requestedEventId));
    }
    return stored;
  });
}
