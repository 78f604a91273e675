import 'server-only';
import { and, desc, eq, gt, inArray, lt, notExists, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { AuditDb } from './database';
import {
  actorMatches,
  commonConditions,
  idRange,
  isPending,
  isRotationAnchor,
  isType,
  pageOf,
  parseListQuery,
} from './filters';
import { isSettledOutcome, type RotationOutcome, type SettledOutcome } from './outcomes';
import { type AuditEventRow, auditEvents } from './schema';
import type { ListQuery, Page, ParsedAuditFilters, RotationRow } from './types';

/**
 * One row per rotation, newest request first: a rotation.requested event joined with its latest outcome (an outcome
 * recorded later, e.g. settling an `unknown`, supersedes the earlier one), or a rotation.external event on its own.
 * Filters apply to the requested event: who asked, for which connection, when. The page key is always the requested
 * event's id, so every filter pages in the same order.
 */
export async function listRotations(db: AuditDb, query?: ListQuery): Promise<Page<RotationRow>> {
  const { filters, before, limit } = parseListQuery(query);
  const outcome = filters.outcome;
  const rows = isSettledOutcome(outcome)
    ? await settledRotations(db, filters, outcome, before, limit + 1)
    : await anchoredRotations(db, filters, before, limit + 1);
  return pageOf(rows, limit, (row) => row.id);
}

/** Walks the outcome index (type, requested_event_id) so a rare outcome costs no more than a common one. */
async function settledRotations(
  db: AuditDb,
  filters: ParsedAuditFilters,
  outcome: SettledOutcome,
  before: number | null,
  limit: number,
): Promise<RotationRow[]> {
  const o = alias(auditEvents, 'o');
  const r = alias(auditEvents, 'r');
  const later = alias(auditEvents, 'later');
  const conditions: (SQL | undefined)[] = [
    isType(o, `rotation.${outcome}`),
    sql`${o.requestedEventId} is not null`,
    // The store refuses an outcome for another connection than its request, so the outcome's own connection column
    // (indexed with the outcome) is the rotation's connection.
    filters.connectionId ? eq(o.connectionId, filters.connectionId) : undefined,
    filters.actor ? actorMatches(r, filters.actor) : undefined,
    filters.from ? sql`${r.occurredAt} >= ${filters.from}` : undefined,
    filters.to ? sql`${r.occurredAt} < ${filters.to}` : undefined,
    ...idRange(o.requestedEventId, filters),
    before === null ? undefined : lt(o.requestedEventId, before),
    notExists(
      db
        .select({ one: sql`1` })
        .from(later)
        .where(and(eq(later.requestedEventId, o.requestedEventId), gt(later.id, o.id))),
    ),
  ];
  const rows = await db
    .select({ requested: r, outcome: o })
    .from(o)
    .innerJoin(r, eq(r.id, o.requestedEventId))
    .where(and(...conditions))
    .orderBy(desc(o.requestedEventId))
    .limit(limit);
  return rows.map((row) => rotationRow(row.requested, row.outcome));
}

/** Walks the rotation anchors (requested + external events) and fetches the outcomes of one page in one query. */
async function anchoredRotations(
  db: AuditDb,
  filters: ParsedAuditFilters,
  before: number | null,
  limit: number,
): Promise<RotationRow[]> {
  const r = alias(auditEvents, 'r');
  const conditions: (SQL | undefined)[] = [isRotationAnchor(r), ...commonConditions(r, filters)];
  if (filters.outcome === 'requested') conditions.push(isType(r, 'rotation.requested'));
  if (filters.outcome === 'external') conditions.push(isType(r, 'rotation.external'));
  if (filters.outcome === 'in_progress') conditions.push(isType(r, 'rotation.requested'), isPending(r));
  if (before !== null) conditions.push(lt(r.id, before));
  const anchors = await db
    .select()
    .from(r)
    .where(and(...conditions))
    .orderBy(desc(r.id))
    .limit(limit);

  const requestedIds = anchors.filter((a) => a.type === 'rotation.requested').map((a) => a.id);
  const outcomes = requestedIds.length
    ? await db
        .select()
        .from(auditEvents)
        .where(inArray(auditEvents.requestedEventId, requestedIds))
        .orderBy(auditEvents.id)
    : [];
  const latest = new Map(outcomes.map((o) => [o.requestedEventId, o]));
  return anchors.map((anchor) => rotationRow(anchor, latest.get(anchor.id) ?? null));
}

const outcomeOf = (anchor: AuditEventRow, outcome: AuditEventRow | null): RotationOutcome => {
  if (anchor.type === 'rotation.external') return 'external';
  if (!outcome) return 'in_progress';
  return outcome.type.slice('rotation.'.length) as RotationOutcome;
};

/** One rotation's row: its anchor (requested or external event) joined with its latest outcome, if any. */
export function rotationRow(anchor: AuditEventRow, outcome: AuditEventRow | null): RotationRow {
  // An external rotation is its own outcome: the event carries the new kid and what Auth0's log said.
  const result = anchor.type === 'rotation.external' ? anchor : outcome;
  return {
    id: anchor.id,
    requestId: anchor.requestId,
    outcome: outcomeOf(anchor, outcome),
    requestedAt: anchor.occurredAt,
    settledAt: result?.occurredAt ?? null,
    outcomeEventId: outcome?.id ?? null,
    actorSub: anchor.actorSub,
    actorEmail: anchor.actorEmail,
    actorName: anchor.actorName,
    tenant: anchor.tenant,
    connectionId: anchor.connectionId,
    connectionName: anchor.connectionName,
    algorithm: anchor.algorithm,
    status: result?.status ?? null,
    errorCode: result?.errorCode ?? null,
    message: result?.message ?? null,
    newKid: result?.newKid ?? null,
    newFingerprint: result?.newFingerprint ?? null,
    previousKid: result?.previousKid ?? anchor.previousKid,
    durationMs: result?.durationMs ?? null,
  };
}
