/**
 * The lock one rotation of a connection holds, and its settling too: keyed by the tenant (its domain) and the
 * connection, so that two tenants never wait on each other whatever their connections' ids.
 */
export function rotationLockId(tenant: string | null, connectionId: string): string {
  return `${tenant ?? ''}/${connectionId}`;
}
