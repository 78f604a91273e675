import 'server-only';
import { eq } from 'drizzle-orm';
import { advisoryKey } from './chain';
import type { AuditDatabase, LockSession } from './database';
import { rotationLocks } from './schema';

export interface LockHolder {
  sub: string;
  email?: string | null;
  name?: string | null;
}

export interface HeldBy {
  sub: string;
  email: string | null;
  name: string | null;
  since: Date;
}

/** Another rotation of this connection is running; `holder` says whose (null if it finished as we looked). */
export class ConnectionLockedError extends Error {
  constructor(
    readonly connectionId: string,
    readonly holder: HeldBy | null,
  ) {
    const who = holder ? (holder.email ?? holder.name ?? holder.sub) : 'another operator';
    super(`A rotation of this connection is already in progress (started by ${who}).`);
    this.name = 'ConnectionLockedError';
  }

  /**
   * The process-wide store is opened by whichever server bundle asks first (instrumentation, a page, an action), so
   * the error it throws may be another bundle's copy of this class: recognise it by name, not by identity.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Error && value.name === 'ConnectionLockedError';
  }
}

/** The database session holding a connection's lock is gone (terminated, broken): another instance may hold it now. */
export class LockLostError extends Error {
  constructor(readonly connectionId: string) {
    super(`The rotation lock of connection ${connectionId} is no longer held: its database session was lost.`);
    this.name = 'LockLostError';
  }

  /** Another server bundle's copy of this class (see ConnectionLockedError). */
  static [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Error && value.name === 'LockLostError';
  }
}

/** The lock as its holder sees it while holding it. */
export interface HeldConnectionLock {
  /**
   * Resolves if the lock is still held, asked of the very session that holds it; throws LockLostError if not.
   * Asked right before an irreversible step: a session lost a moment earlier means another instance may be in.
   */
  confirmHeld(): Promise<void>;
}

/** PGlite: one process owns the database and the lock is this process's memory, held until `fn` returns. */
const heldInProcess: HeldConnectionLock = { confirmHeld: async () => {} };

export type WithConnectionLock = <T>(
  connectionId: string,
  holder: LockHolder,
  fn: (lock: HeldConnectionLock) => Promise<T>,
) => Promise<T>;

/**
 * One rotation per connection at a time, across every app instance. In this process the `held` map decides at once.
 * On PostgreSQL a session-level advisory lock on a connection of its own, held while `fn` runs, decides between
 * instances; the rotation_locks row only names the holder for another instance's refusal message. The advisory lock
 * decides, so a row left by a crashed process is simply overwritten by the next holder. PGlite is one process's
 * database (database.ts refuses a second process on its directory), so there the map is the whole lock: no other
 * instance exists to ask, or to tell who holds it.
 */
export function connectionLocks(database: AuditDatabase): WithConnectionLock {
  const held = new Map<string, HeldBy>();
  const { db } = database;

  async function acrossInstances<T>(
    openLockSession: () => Promise<LockSession>,
    connectionId: string,
    me: HeldBy,
    fn: (lock: HeldConnectionLock) => Promise<T>,
  ): Promise<T> {
    const key = advisoryKey(`connection:${connectionId}`);
    const session = await openLockSession();
    try {
      if (!(await session.tryLock(key))) {
        const [row] = await db.select().from(rotationLocks).where(eq(rotationLocks.connectionId, connectionId));
        throw new ConnectionLockedError(
          connectionId,
          row ? { sub: row.holderSub, email: row.holderEmail, name: row.holderName, since: row.acquiredAt } : null,
        );
      }
      try {
        const values = { holderSub: me.sub, holderEmail: me.email, holderName: me.name, acquiredAt: me.since };
        await db
          .insert(rotationLocks)
          .values({ connectionId, ...values })
          .onConflictDoUpdate({ target: rotationLocks.connectionId, set: values });
        return await fn({
          confirmHeld: async () => {
            if (!(await session.holds(key))) throw new LockLostError(connectionId);
          },
        });
      } finally {
        // Row first, lock second: the other order would let the next holder write its row and then lose it to us.
        await db
          .delete(rotationLocks)
          .where(eq(rotationLocks.connectionId, connectionId))
          .catch((error) => console.error('[audit] could not clear rotation lock row:', error));
        await session.unlock(key).catch((error) => console.error('[audit] could not release rotation lock:', error));
      }
    } finally {
      await session.release().catch((error) => console.error('[audit] could not close lock session:', error));
    }
  }

  return async function withConnectionLock(connectionId, holder, fn) {
    const already = held.get(connectionId);
    if (already) throw new ConnectionLockedError(connectionId, already);
    const me: HeldBy = { sub: holder.sub, email: holder.email ?? null, name: holder.name ?? null, since: new Date() };
    held.set(connectionId, me);
    try {
      const { openLockSession } = database;
      return openLockSession ? await acrossInstances(openLockSession, connectionId, me, fn) : await fn(heldInProcess);
    } finally {
      held.delete(connectionId);
    }
  };
}
