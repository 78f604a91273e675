import 'server-only';
import { auditStore } from '@/lib/audit';
import { auditTenant } from '@/lib/audit/events';
import { getConnection, listConnectionKeys } from '@/lib/auth0/connections';
import type { IdpDependencies } from './settings';

/** The IdP settings on the configured tenant, the process-wide store and Auth0. */
export function liveIdpDependencies(): IdpDependencies {
  return {
    store: auditStore,
    tenant: auditTenant(),
    connectionName: async (connectionId) => (await getConnection(connectionId)).name,
    nextKid: async (connectionId) => (await listConnectionKeys(connectionId)).find((key) => key.next)?.kid ?? null,
  };
}
