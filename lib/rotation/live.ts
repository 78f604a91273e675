import 'server-only';
import { auditStore } from '@/lib/audit';
import { auditTenant, keysProvisionedEvent } from '@/lib/audit/events';
import { connectionList } from '@/lib/auth0/connection-cache';
import { getConnection, listConnectionKeys, rotateConnectionKeys } from '@/lib/auth0/connections';
import type { ConnectionKey } from '@/lib/auth0/types';
import { config } from '@/lib/config';
import type { TenantConfig } from '@/lib/tenants/config';
import { inTenant } from '@/lib/tenants/scope';
import { auditDependencies } from './audit-wiring';
import { type DevFirstNotice, devFirstNotices } from './dev-first';
import { lastKnownRotation } from './last-rotation';
import type { RotationActor, RotationDependencies } from './types';

/**
 * The rotation's real collaborators: Auth0 through lib/auth0, the audit trail and its lock through lib/audit. The
 * readiness gate's (lib/idp) is added by the action: lib/idp reaches this folder through lib/auth, so it cannot be
 * imported here.
 */
export function liveRotationDependencies(): Omit<RotationDependencies, 'nextKeyReadiness'> {
  return {
    tenant: auditTenant(),
    getConnection,
    listKeys: listConnectionKeys,
    rotate: rotateConnectionKeys,
    ...auditDependencies(auditStore),
    now: () => performance.now(),
    wallClock: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    // As long again as the call itself was allowed: a request Auth0 still works on is done by then.
    settleGraceMs: config().auth0.timeoutSeconds * 1000,
    logError: (message, details) => console.error(`[keyshift] ${message}`, JSON.stringify(details)),
    lastRotation: async (connectionId) => lastKnownRotation(await auditStore(), connectionId),
  };
}

/** The request a provisioning came with, as the audit trail records it. */
export interface ProvisioningRequest {
  user: RotationActor;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
}

/** Provisioning creates keys but revokes none; it is recorded after the fact, and a failure to record is logged. */
export async function recordProvisioned(
  connectionId: string,
  algorithm: string | null,
  keys: ConnectionKey[],
  context: ProvisioningRequest,
): Promise<void> {
  try {
    const connection = await getConnection(connectionId);
    const event = keysProvisionedEvent(context, { id: connectionId, name: connection.name }, { algorithm, keys });
    await (await auditStore()).append(event);
  } catch (error) {
    console.error(
      '[keyshift] could not record a provisioning',
      JSON.stringify({ requestId: context.requestId, error: String(error) }),
    );
  }
}

/**
 * The development-first notices for a production rotation of `connectionName`: looked for in `tenants` (the
 * non-production tenants the operator can read; lib/auth decides, which this folder cannot import), each in its own
 * scope, within the configured period.
 */
export function liveDevFirstNotices(
  tenants: readonly TenantConfig[],
  connectionName: string,
): Promise<DevFirstNotice[]> {
  return devFirstNotices(
    {
      tenants,
      days: config().devFirstDays,
      now: () => new Date(),
      findConnection: (tenant, name) =>
        inTenant(tenant, async () => {
          const list = await connectionList('all', { waitMs: 3_000 });
          return list.connections?.find((connection) => connection.name === name)?.id ?? null;
        }),
      lastRotation: async (tenant, connectionId) => {
        const { events } = await (await auditStore()).listRotations({
          filters: { tenant: tenant.domain, connectionId },
          limit: 50,
        });
        const done = events.find((row) => row.outcome === 'succeeded' || row.outcome === 'external');
        return done?.requestedAt ?? null;
      },
    },
    connectionName,
  );
}
