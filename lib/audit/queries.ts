import 'server-only';
import { and, asc, desc, eq, lt, type SQL, sql } from 'drizzle-orm';
import type { AuditDb } from './database';
import { eventConditions, isPending, isType, pageOf, parseListQuery } from './filters';
import { auditEvents } from './schema';
import type { AuditEvent, ListQuery, Page } from './types';

/** Raw events, newest first, keyset-paginated by id: appends between pages never shift a page. */
export async function listEvents(db: AuditDb, query?: ListQuery): Promise<Page<AuditEvent>> {
  const { filters, before, limit } = parseListQuery(query);
  const rows = await selectEvents(db, eventConditions(auditEvents, filters), before, limit + 1);
  return pageOf(rows, limit, (event) => event.id);
}

export function selectEvents(db: AuditDb, conditions: SQL[], before: number | null, limit: number) {
  return db
    .select()
    .from(auditEvents)
    .where(and(...conditions, before === null ? undefined : lt(auditEvents.id, before)))
    .orderBy(desc(auditEvents.id))
    .limit(limit);
}

export async function getEvent(db: AuditDb, id: number): Promise<AuditEvent | null> {
  if (!Number.isSafeInteger(id) || id < 1) return null;
  const [event] = await db.select().from(auditEvents).where(eq(auditEvents.id, id));
  return event ?? null;
}

/** The requested event and its outcome(s), in the order they were recorded. */
export function eventsForRequest(db: AuditDb, requestId: string): Promise<AuditEvent[]> {
  return db.select().from(auditEvents).where(eq(auditEvents.requestId, requestId)).orderBy(asc(auditEvents.id));
}

/**
 * Rotations requested at least `olderThanMs` ago (by the database clock, which stamped them) that have no outcome:
 * the process died between asking Auth0 and recording the answer. The caller settles each by reading the keys back.
 */
export function danglingRequests(db: AuditDb, olderThanMs: number): Promise<AuditEvent[]> {
  return db
    .select()
    .from(auditEvents)
    .where(
      and(
        isType(auditEvents, 'rotation.requested'),
        sql`${auditEvents.occurredAt} < now() - ${Math.max(0, olderThanMs)}::double precision * interval '1 millisecond'`,
        isPending(auditEvents),
      ),
    )
    .orderBy(asc(auditEvents.id));
}
