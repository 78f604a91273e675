import 'server-only';
import { eq, gte, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { auditEvents, pendingRotations } from './schema';
import { AuditInputError, auditFilters, type ListQuery, type ParsedAuditFilters } from './types';

/** The columns filters use, on the table or any alias of it (drizzle gives each alias its own type). */
export type EventsTable = Record<
  'id' | 'occurredAt' | 'type' | 'tenant' | 'actorSub' | 'actorEmail' | 'connectionId' | 'requestedEventId',
  AnyPgColumn
>;

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

// Literal SQL, not parameters: the planner can only use the partial indexes on rotation anchors when it can prove
// the query's condition implies the index predicate, which it cannot do for a parameter.
export const isRotationAnchor = (t: EventsTable) => sql`${t.type} in ('rotation.requested', 'rotation.external')`;
export const isType = (t: EventsTable, type: string) => sql`${t.type} = ${sql.raw(`'${type.replaceAll("'", "''")}'`)}`;

/** A rotation.requested event with no outcome yet; driven from the small pending table, not by probing every row. */
export function isPending(requested: EventsTable) {
  return sql`${requested.id} in (select ${pendingRotations.requestedEventId} from ${pendingRotations})`;
}

/** Cursors are opaque to callers; inside they are the last id of the previous page (keyset: next page is `id < it`). */
export function encodeCursor(id: number): string {
  return Buffer.from(`k1:${id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined): number | null {
  if (!cursor) return null;
  const match = /^k1:(\d{1,16})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new AuditInputError('The page cursor is not valid; start again from the first page.');
  return Number(match[1]);
}

export interface ParsedListQuery {
  filters: ParsedAuditFilters;
  before: number | null;
  limit: number;
}

export function parseListQuery(query: ListQuery = {}): ParsedListQuery {
  const filters = auditFilters.safeParse(query.filters ?? {});
  if (!filters.success) throw new AuditInputError(`Invalid audit filters: ${filters.error.message}`);
  const limit = query.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new AuditInputError(`limit must be an integer from 1 to ${MAX_LIMIT}`);
  }
  return { filters: filters.data, before: decodeCursor(query.cursor), limit };
}

/** Matches a subject exactly or an email case-insensitively (each side has its own index). */
export function actorMatches(t: EventsTable, actor: string): SQL {
  return or(eq(t.actorSub, actor), sql`lower(${t.actorEmail}) = ${actor.toLowerCase()}`) as SQL;
}

/** Who, which connection and when: the filters that apply to an event (or to a rotation's requested event). */
export function commonConditions(t: EventsTable, filters: ParsedAuditFilters): SQL[] {
  const conditions: SQL[] = [];
  if (filters.tenant) conditions.push(eq(t.tenant, filters.tenant));
  if (filters.connectionId) conditions.push(eq(t.connectionId, filters.connectionId));
  if (filters.actor) conditions.push(actorMatches(t, filters.actor));
  if (filters.from) conditions.push(gte(t.occurredAt, filters.from));
  if (filters.to) conditions.push(lt(t.occurredAt, filters.to));
  return [...conditions, ...idRange(t.id, filters)];
}

/**
 * A date range as bounds on the id: occurredAt never decreases along the chain (append.ts), so the events of a range
 * are one run of ids, found with two probes of the (occurred_at, id) index. Without them the planner, assuming dates
 * spread evenly over ids, walks the primary key from the newest event and filters half a million rows to reach a
 * range in the middle of the trail. The date conditions stay too, so the bounds only ever narrow the search.
 */
export function idRange(id: AnyPgColumn, filters: ParsedAuditFilters): SQL[] {
  const e = auditEvents;
  const bounds: SQL[] = [];
  if (filters.from) {
    const first = sql`select ${e.id} from ${e} where ${e.occurredAt} >= ${filters.from} order by ${e.occurredAt}, ${e.id} limit 1`;
    bounds.push(sql`${id} >= coalesce((${first}), 9223372036854775807)`);
  }
  if (filters.to) {
    const last = sql`select ${e.id} from ${e} where ${e.occurredAt} < ${filters.to} order by ${e.occurredAt} desc, ${e.id} desc limit 1`;
    bounds.push(sql`${id} <= coalesce((${last}), 0)`);
  }
  return bounds;
}

/** Conditions on raw events. An outcome filter selects the events of that outcome's type. */
export function eventConditions(t: EventsTable, filters: ParsedAuditFilters): SQL[] {
  const conditions = commonConditions(t, filters);
  if (filters.types?.length) conditions.push(inArray(t.type, filters.types));
  switch (filters.outcome) {
    case undefined:
      break;
    case 'in_progress':
      conditions.push(isType(t, 'rotation.requested'), isPending(t));
      break;
    default:
      conditions.push(isType(t, `rotation.${filters.outcome}`));
  }
  return conditions;
}

export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => number) {
  const events = rows.slice(0, limit);
  const last = events.at(-1);
  return { events, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
