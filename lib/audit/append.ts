import 'server-only';
import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { CHAIN_LOCK_KEY, GENESIS_HASH, hashEvent } from './chain';
import { type AuditDb, rowsOf } from './database';
import { isOutcomeType } from './outcomes';
import { auditEvents, pendingRotations } from './schema';
import {
  AuditBusyError,
  type AuditEvent,
  type AuditEventInput,
  AuditInputError,
  auditEventInput,
  RotationPendingError,
} from './types';

export interface AppendOptions {
  /**
   * Every transaction on this database runs alone (PGlite: one session, its transactions queued), so nothing can
   * interleave between reading the chain's head and inserting after it, and the chain lock would only cost a
   * statement.
   */
  serialized: boolean;
  /** A write that stands or falls with the event (a setting the event records), run in its transaction after it. */
  alongside?: (tx: AuditTx) => Promise<void>;
}

export type AuditTx = Parameters<Parameters<AuditDb['transaction']>[0]>[0];

const columns = Object.entries(getTableColumns(auditEvents));
const columnList = sql.join(
  columns.map(([, column]) => sql.identifier(column.name)),
  sql`, `,
);

/**
 * Appends one event to the chain. The transaction-scoped advisory lock serialises appends from every process on the
 * database, so "read the last hash, then insert after it" cannot interleave: there is one linear chain, and ids
 * (taken under the same lock) ascend in chain order. The lock is released by COMMIT or ROLLBACK.
 *
 * Three statements at most (lock, head, insert): an append sits twice on every rotation's path, so the request this
 * event settles is looked up with the head, and pending_rotations is kept in the insert's own statement.
 */
export async function appendEvent(db: AuditDb, input: AuditEventInput, options: AppendOptions): Promise<AuditEvent> {
  const parsed = auditEventInput.safeParse(input);
  if (!parsed.success) throw new AuditInputError(`Invalid audit event: ${z.prettifyError(parsed.error)}`);
  const event = parsed.data;
  const settles = event.type === 'rotation.requested' || isOutcomeType(event.type);

  // A request that will reach Auth0 is refused while its connection has one pending: a second guard, behind the
  // connection lock, against two rotations of a connection at once. One refused at once (errorCode set) is not.
  const guarded = event.type === 'rotation.requested' && event.errorCode === null && event.connectionId !== null;

  return db
    .transaction(async (tx) => {
      // Bounded by the session's lock_timeout (database.ts): a writer holding the chain too long fails this append.
      if (!options.serialized) await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK_KEY}::bigint)`);
      // A separate statement from the lock: in READ COMMITTED each statement sees what committed before it began, so
      // this one sees the previous holder's row. The time never goes back (a clock step on the database host cannot
      // reorder the trail), which is what lets a date range be answered as an id range (filters.ts).
      const [head] = rowsOf(
        await tx.execute(sql`
        with last as (select hash, occurred_at from ${auditEvents} order by id desc limit 1)
        select nextval(pg_get_serial_sequence('audit_events', 'id'))::text as id,
          floor(extract(epoch from greatest(clock_timestamp(), (select occurred_at from last))) * 1000)::text as now_ms,
          (select hash from last) as prev_hash,
          requested.id::text as requested_id, requested.connection_id as requested_connection_id${
            guarded ? sql`, pending.pending, pending.pending_request_id` : sql``
          }
        from (select 1) as one
        left join lateral (
          select id, connection_id from ${auditEvents}
          where request_id = ${settles ? (event.requestId ?? '') : null} and type = 'rotation.requested'
          order by id asc limit 1
        ) as requested on true${guarded ? pendingOf(event.connectionId) : sql``}`),
      );
      if (!head) throw new Error('The audit database returned no sequence value');

      const requested =
        typeof head.requested_id === 'string'
          ? { id: Number(head.requested_id), connectionId: head.requested_connection_id as string | null }
          : null;
      if (event.type === 'rotation.requested' && requested) {
        throw new AuditInputError(`A rotation with requestId ${event.requestId} was already requested`);
      }
      if (guarded && head.pending === true) {
        throw new RotationPendingError(event.connectionId ?? '', (head.pending_request_id as string | null) ?? null);
      }
      if (requested && requested.connectionId !== event.connectionId) {
        throw new AuditInputError(
          `Outcome for requestId ${event.requestId} names connection ${event.connectionId}, ` +
            `but the rotation was requested for ${requested.connectionId}`,
        );
      }
      // An outcome whose request is missing is still recorded (losing it would be worse); it appears in the raw
      // list, not in listRotations.
      // (Events that settle nothing looked up no request, so `requested` is null for them.)
      const requestedEventId = event.type === 'rotation.requested' ? null : (requested?.id ?? null);

      const row: Omit<AuditEvent, 'hash'> = {
        ...event,
        id: Number(head.id),
        occurredAt: new Date(Number(head.now_ms)),
        requestedEventId,
        prevHash: typeof head.prev_hash === 'string' ? head.prev_hash : GENESIS_HASH,
      };
      const stored: AuditEvent = { ...row, hash: hashEvent(row) };
      const inserted = rowsOf(
        await tx.execute(sql`
        with stored as (
          insert into ${auditEvents} (${columnList}) values (${valuesOf(stored)}) returning id
        )${pendingChange(stored)}
        select id::text as id from stored`),
      );
      if (inserted[0]?.id !== String(stored.id)) throw new Error('The audit database did not store the appended event');
      await options.alongside?.(tx);
      return stored;
    })
    .catch((error: unknown) => {
      if (WAITED_TOO_LONG.has(sqlState(error) ?? '')) throw new AuditBusyError();
      throw error;
    });
}

/** lock_not_available (lock_timeout), query_canceled (statement_timeout). */
const WAITED_TOO_LONG = new Set(['55P03', '57014']);

/**
 * A unique index refused the event (unique_violation): for a type recorded once per subject (rotation.watch_closed),
 * another writer recorded it first. Its transaction rolled back, so the chain is as it was.
 */
export function isDuplicateEvent(error: unknown): boolean {
  return sqlState(error) === '23505';
}

/** The SQLSTATE of a database error, which Drizzle may wrap (as its `cause`). */
function sqlState(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Object && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The connection's request still pending, if any, other than one refused at once (which never reaches Auth0). */
function pendingOf(connectionId: string | null): SQL {
  return sql`
        left join lateral (
          select true as pending, pending_event.request_id as pending_request_id
          from ${pendingRotations} join ${auditEvents} as pending_event on pending_event.id = ${pendingRotations.requestedEventId}
          where pending_event.connection_id = ${connectionId} and pending_event.error_code is null
          limit 1
        ) as pending on true`;
}

/** The row's values in column order, each encoded as its column encodes it (dates, jsonb). */
function valuesOf(event: AuditEvent): SQL {
  const record = event as unknown as Record<string, unknown>;
  return sql.join(
    columns.map(([key, column]) => sql.param(record[key] ?? null, column)),
    sql`, `,
  );
}

/** A request starts pending; its first outcome ends that. Same statement, so same transaction, as the event. */
function pendingChange(event: AuditEvent): SQL {
  if (event.type === 'rotation.requested') {
    return sql`, pending as (insert into ${pendingRotations} (requested_event_id) select id from stored)`;
  }
  if (event.requestedEventId !== null) {
    return sql`, settled as (delete from ${pendingRotations} where requested_event_id = ${event.requestedEventId})`;
  }
  return sql``;
}
