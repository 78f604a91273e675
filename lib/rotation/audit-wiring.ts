import 'server-only';
import { AuditBusyError, type AuditStore, ConnectionLockedError, RotationPendingError } from '@/lib/audit';
import { RotationRefused } from './errors';
import { ConnectionBusyError } from './rotate';
import type { RotationDependencies } from './types';

const AUDIT_BUSY = 'The audit trail is busy; the rotation was not attempted. Nothing changed in Auth0.';
const STILL_PENDING =
  'An earlier rotation of this connection has no recorded outcome yet; Keyshift settles it by reading the keys back. The rotation was not attempted and nothing changed in Auth0: check the keys, then try again.';

/** The rotation's audit trail and lock, on the given store: what live.ts wires, and the database tests too. */
export function auditDependencies(
  store: () => Promise<AuditStore>,
): Pick<RotationDependencies, 'appendAudit' | 'withConnectionLock'> {
  return {
    appendAudit: async (entry) => {
      try {
        await (await store()).append(entry);
      } catch (error) {
        // A request that cannot be recorded stops the rotation before Auth0: say why in the operator's words.
        if (entry.type !== 'rotation.requested') throw error;
        if (error instanceof AuditBusyError) throw new RotationRefused('unavailable', AUDIT_BUSY);
        if (error instanceof RotationPendingError) throw new RotationRefused('conflict', STILL_PENDING);
        throw error;
      }
    },
    withConnectionLock: async (connectionId, holder, run) => {
      try {
        return await (await store()).withConnectionLock(
          connectionId,
          { sub: holder.sub, email: holder.email, name: holder.name },
          run,
        );
      } catch (error) {
        if (error instanceof ConnectionLockedError) throw new ConnectionBusyError(error.holder);
        throw error;
      }
    },
  };
}
