import 'server-only';
import type { AuditStore } from '@/lib/audit';
import { policyPeriodChangedEvent, type UserRequest } from '@/lib/audit/events';
import { TENANT_POLICY } from '@/lib/audit/inventory';

export interface PolicyDependencies {
  store: () => Promise<Pick<AuditStore, 'rotationPolicies' | 'saveRotationPolicy'>>;
  /** The tenant's domain, which rotation periods are keyed by. */
  tenant: string;
  /** The connection's name in Auth0 (throws Auth0Error not_found for an unknown connection). */
  connectionName(connectionId: string): Promise<string>;
}

export interface PeriodChange {
  /** null: the tenant's own period; else one connection's override. */
  connectionId: string | null;
  /** null: remove it (the connection follows its tenant; the tenant the configured default). */
  periodDays: number | null;
}

/**
 * Sets or clears a rotation period; the period and its policy.period_changed event are stored together or not at
 * all. Setting what is already set changes nothing and records nothing.
 */
export async function setRotationPeriod(
  deps: PolicyDependencies,
  change: PeriodChange,
  request: UserRequest,
): Promise<{ changed: boolean }> {
  const store = await deps.store();
  const key = change.connectionId ?? TENANT_POLICY;
  const name = change.connectionId ? await deps.connectionName(change.connectionId) : null;
  const existing = (await store.rotationPolicies(deps.tenant)).find((row) => row.connectionId === key);
  const from = existing?.periodDays ?? null;
  if (from === change.periodDays) return { changed: false };
  await store.saveRotationPolicy(
    policyPeriodChangedEvent(
      request,
      { tenant: deps.tenant, connection: change.connectionId && name ? { id: change.connectionId, name } : null },
      { from, to: change.periodDays },
    ),
    { tenant: deps.tenant, connectionId: key, periodDays: change.periodDays, updatedBySub: request.user.sub },
  );
  return { changed: true };
}
