import 'server-only';
import { auditStore } from '@/lib/audit';
import { auditTenant } from '@/lib/audit/events';
import { getConnection, listConnectionKeys } from '@/lib/auth0/connections';
import { type ListedIdpStatus, listIdpStatuses } from './list';
import { type Readiness, readiness } from './readiness';
import { type IdpDependencies, idpStatus } from './settings';

/** The IdP settings on the configured tenant, the process-wide store and Auth0. */
export function liveIdpDependencies(): IdpDependencies {
  return {
    store: auditStore,
    tenant: auditTenant(),
    connectionName: async (connectionId) => (await getConnection(connectionId)).name,
    nextKid: async (connectionId) => (await listConnectionKeys(connectionId)).find((key) => key.next)?.kid ?? null,
  };
}

/** The readiness of the connection's `nextKid` now, from the stored setting and the trail: what the rotation gates on. */
export async function liveNextKeyReadiness(connectionId: string, nextKid: string | null): Promise<Readiness> {
  const status = await idpStatus(liveIdpDependencies(), connectionId);
  return readiness({ ...status, nextKid, now: new Date() });
}

/** Every configured connection's IdP status on the configured tenant, for the connection list. */
export async function liveIdpStatuses(): Promise<ListedIdpStatus[]> {
  return listIdpStatuses(await auditStore(), auditTenant());
}
