import 'server-only';
import { type AuditStore, ConnectionLockedError } from '@/lib/audit';
import { isOutcomeType } from '@/lib/audit/outcomes';
import type { ConnectionKey } from '@/lib/auth0/types';
import type { DanglingDependencies } from './settle-dangling';

/** Who holds a connection's lock while its dangling request is settled, as another operator's refusal names it. */
export const SETTLING_HOLDER = { sub: 'keyshift', email: null, name: 'Keyshift (settling)' };

/**
 * Settling wired to an audit store, as each app instance runs it. Any age counts as dangling: a rotation holds its
 * connection's lock from before "requested" until after the outcome, and a dead process's lock is gone with it
 * (PostgreSQL session, or this process's memory), so a free lock means no one is on it; and the request is asked
 * again, under that lock, whether it is still pending, since the list was read before the lock was taken.
 */
export function storeDanglingDependencies(
  store: AuditStore,
  options: Pick<DanglingDependencies, 'graceMs' | 'now' | 'sleep'> & {
    listKeys(connectionId: string, tenant: string | null): Promise<ConnectionKey[]>;
  },
): DanglingDependencies {
  return {
    ...options,
    danglingRequests: () => store.danglingRequests(0),
    stillPending: async (requestId) =>
      !(await store.eventsForRequest(requestId)).some((event) => isOutcomeType(event.type)),
    appendAudit: async (entry) => {
      await store.append(entry);
    },
    ifUnlocked: async (connectionId, run) => {
      try {
        await store.withConnectionLock(connectionId, SETTLING_HOLDER, run);
      } catch (error) {
        if (!(error instanceof ConnectionLockedError)) throw error;
      }
    },
  };
}
