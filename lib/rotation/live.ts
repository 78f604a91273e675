import 'server-only';
import { auditStore, ConnectionLockedError } from '@/lib/audit';
import { getConnection, listConnectionKeys, rotateConnectionKeys } from '@/lib/auth0/connections';
import { config } from '@/lib/config';
import { ConnectionBusyError } from './rotate';
import type { RotationDependencies } from './types';

/** The rotation's real collaborators: Auth0 through lib/auth0, the audit trail and its lock through lib/audit. */
export function liveRotationDependencies(): RotationDependencies {
  return {
    tenant: config().auth0.domain,
    getConnection,
    listKeys: listConnectionKeys,
    rotate: rotateConnectionKeys,
    appendAudit: async (entry) => {
      await (await auditStore()).append(entry);
    },
    withConnectionLock: async (connectionId, holder, run) => {
      const store = await auditStore();
      try {
        return await store.withConnectionLock(
          connectionId,
          { sub: holder.sub, email: holder.email, name: holder.name },
          run,
        );
      } catch (error) {
        if (error instanceof ConnectionLockedError) throw new ConnectionBusyError(error.holder);
        throw error;
      }
    },
    now: () => performance.now(),
    logError: (message, details) => console.error(`[keyshift] ${message}`, JSON.stringify(details)),
  };
}
