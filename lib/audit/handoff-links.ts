import 'server-only';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { AppendOptions } from './append';
import type { AuditDb } from './database';
import { handoffLinks } from './schema';

export type HandoffLinkRow = typeof handoffLinks.$inferSelect;

/** Revoking a link that is unknown or already revoked: the event is not appended (its transaction rolls back). */
export class HandoffLinkStateError extends Error {
  constructor(readonly reason: 'unknown' | 'revoked') {
    super(reason === 'unknown' ? 'No such hand-off link.' : 'The hand-off link is already revoked.');
    this.name = 'HandoffLinkStateError';
  }
}

export async function readHandoffLink(db: AuditDb, id: string): Promise<HandoffLinkRow | null> {
  const [row] = await db.select().from(handoffLinks).where(eq(handoffLinks.id, id)).limit(1);
  return row ?? null;
}

/** The connection's links, newest first (a page lists a few dozen at most: they are made by hand). */
export async function listHandoffLinks(
  db: AuditDb,
  tenant: string,
  connectionId: string,
  limit = 50,
): Promise<HandoffLinkRow[]> {
  return db
    .select()
    .from(handoffLinks)
    .where(and(eq(handoffLinks.tenant, tenant), eq(handoffLinks.connectionId, connectionId)))
    .orderBy(desc(handoffLinks.createdAt), desc(handoffLinks.id))
    .limit(limit);
}

/** Inserted only alongside its handoff.link_created event (store.ts `createHandoffLink`). */
export function insertHandoffLink(row: HandoffLinkRow): NonNullable<AppendOptions['alongside']> {
  return async (tx) => {
    await tx.insert(handoffLinks).values(row);
  };
}

/**
 * Revoked only alongside its handoff.link_revoked event, and only once: a link that is unknown, of another
 * connection, or already revoked throws, which rolls the event back with it.
 */
export function revokeHandoffLinkRow(
  link: { id: string; tenant: string; connectionId: string },
  by: { sub: string; name: string | null; email: string | null },
): NonNullable<AppendOptions['alongside']> {
  return async (tx) => {
    const updated = await tx
      .update(handoffLinks)
      .set({ revokedAt: new Date(), revokedBySub: by.sub, revokedByName: by.name, revokedByEmail: by.email })
      .where(
        and(
          eq(handoffLinks.id, link.id),
          eq(handoffLinks.tenant, link.tenant),
          eq(handoffLinks.connectionId, link.connectionId),
          isNull(handoffLinks.revokedAt),
        ),
      )
      .returning({ id: handoffLinks.id });
    if (updated.length === 1) return;
    const [existing] = await tx
      .select({ revokedAt: handoffLinks.revokedAt })
      .from(handoffLinks)
      .where(
        and(
          eq(handoffLinks.id, link.id),
          eq(handoffLinks.tenant, link.tenant),
          eq(handoffLinks.connectionId, link.connectionId),
        ),
      );
    throw new HandoffLinkStateError(existing ? 'revoked' : 'unknown');
  };
}
