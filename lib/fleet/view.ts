import 'server-only';
import { auditStore, type InventoryRow, type RotationPolicyRow, TENANT_POLICY } from '@/lib/audit';
import { config } from '@/lib/config';
import type { ListedIdpStatus } from '@/lib/idp/list';
import { liveIdpStatuses } from '@/lib/idp/live';
import { readiness } from '@/lib/idp/readiness';
import { UNKNOWN_IDP } from '@/lib/idp/types';
import type { TenantConfig } from '@/lib/tenants/config';
import { currentTenant, inTenant } from '@/lib/tenants/scope';
import { compareFleet, countFleet, type FleetCounts, type FleetRow, packFleet, unpackFleet } from './fleet';
import { certState, dueAt, dueState, effectivePeriod } from './policy';

/** The tenant's own period (a rotator's setting, else its tenants-file entry's) and the connections' overrides. */
export interface TenantPolicy {
  /** What a connection without an override follows. */
  tenantDays: number | null;
  /** Where that comes from: a rotator set it (`tenant`), or the configuration (`default`). */
  configuredDays: number;
  overrides: Map<string, number>;
}

export function tenantPolicyOf(rows: readonly RotationPolicyRow[], tenant: TenantConfig): TenantPolicy {
  const overrides = new Map<string, number>();
  let tenantDays: number | null = null;
  for (const row of rows) {
    if (row.periodDays === null) continue;
    if (row.connectionId === TENANT_POLICY) tenantDays = row.periodDays;
    else overrides.set(row.connectionId, row.periodDays);
  }
  return { tenantDays, configuredDays: tenant.rotationPeriodDays ?? config().rotationPeriodDays, overrides };
}

/** One inventory row as the fleet view shows it at `now`. */
export function fleetRowOf(
  row: InventoryRow,
  tenant: TenantConfig,
  policy: TenantPolicy,
  idp: ListedIdpStatus['status'] | undefined,
  now: Date,
): FleetRow {
  const period = effectivePeriod(policy.overrides.get(row.connectionId), policy.tenantDays, policy.configuredDays);
  const due = dueAt(row.currentSince, period.days);
  const ready = readiness({
    setting: idp?.setting ?? UNKNOWN_IDP,
    nextKid: row.nextKid,
    appearance: idp?.appearance ?? null,
    now,
  });
  return {
    tenantSlug: tenant.slug,
    tenantName: tenant.name,
    production: tenant.environment === 'production',
    connectionId: row.connectionId,
    name: row.connectionName,
    strategy: row.strategy,
    keysState: row.keysState,
    currentKid: row.currentKid,
    algorithm: row.currentAlgorithm,
    currentSince: row.currentSince?.getTime() ?? null,
    periodDays: period.days,
    periodSource: period.source,
    dueAt: due?.getTime() ?? null,
    state: dueState(due, now),
    certNotAfter: row.currentNotAfter?.getTime() ?? null,
    certState: certState(row.currentNotAfter, now),
    readiness: ready.state,
    readinessReason: ready.reason,
    checkedAt: row.checkedAt.getTime(),
    stale: row.staleSince !== null,
    error: row.error,
  };
}

/** The fleet of the tenant in scope: its inventory, policy and IdP readiness, in three queries. */
export async function tenantFleet(now: Date = new Date()): Promise<FleetRow[]> {
  const tenant = currentTenant();
  const store = await auditStore();
  const [inventory, policies, statuses] = await Promise.all([
    store.inventory(tenant.domain),
    store.rotationPolicies(tenant.domain),
    liveIdpStatuses(),
  ]);
  const policy = tenantPolicyOf(policies, tenant);
  const byConnection = new Map(statuses.map((status) => [status.connectionId, status.status]));
  return inventory.map((row) => fleetRowOf(row, tenant, policy, byConnection.get(row.connectionId), now));
}

/** The tenant in scope's policy (for the fleet page's header and the connection page's panel). */
export async function tenantPolicy(): Promise<TenantPolicy> {
  const tenant = currentTenant();
  return tenantPolicyOf(await (await auditStore()).rotationPolicies(tenant.domain), tenant);
}

/** What the fleet page receives: the rows packed, and per tenant its policy and the inventory's freshness. */
export interface FleetSnapshot {
  packed: string;
  /** Counts over every row, also when `packed` holds only the first rows (a preview). */
  counts: FleetCounts;
  /** Set when `packed` holds only the first rows by due date: the server-rendered first screenful. */
  preview?: { total: number };
  now: number;
  tenants: Array<{
    slug: string;
    name: string;
    production: boolean;
    tenantDays: number | null;
    configuredDays: number;
    inventory: { enabled: boolean; listedAt: string | null; due: number; lastError: string | null };
  }>;
}

/**
 * The fleet across `tenants` (the caller has checked the user may read each), each read in its own scope. `status`
 * says how fresh the tenant's inventory is (lib/fleet/live.ts, passed in so this module needs no filler).
 */
export async function fleetSnapshot(
  tenants: readonly TenantConfig[],
  status: () => { enabled: boolean; listedAt: string | null; due: number; lastError: string | null },
): Promise<FleetSnapshot> {
  const now = new Date();
  const parts = await Promise.all(
    tenants.map((tenant) =>
      inTenant(tenant, async () => ({
        rows: await tenantFleet(now),
        policy: await tenantPolicy(),
        inventory: status(),
      })),
    ),
  );
  const rows = parts.flatMap((part) => part.rows);
  return {
    packed: packFleet(rows),
    counts: countFleet(rows),
    now: now.getTime(),
    tenants: tenants.map((tenant, index) => {
      const part = parts[index] as (typeof parts)[number];
      return {
        slug: tenant.slug,
        name: tenant.name,
        production: tenant.environment === 'production',
        tenantDays: part.policy.tenantDays,
        configuredDays: part.policy.configuredDays,
        inventory: part.inventory,
      };
    }),
  };
}

/** What the connection page's "Rotation policy" panel shows, from the keys it just read from Auth0. */
export interface ConnectionPolicyView {
  periodDays: number;
  source: 'connection' | 'tenant' | 'default';
  /** The connection's own override, if any. */
  override: number | null;
  /** What applies without the override, and whose it is. */
  inheritedDays: number;
  inheritedFrom: 'tenant' | 'default';
  dueAt: number | null;
  state: ReturnType<typeof dueState>;
  certNotAfter: number | null;
  certState: ReturnType<typeof certState>;
}

export async function connectionPolicy(
  connectionId: string,
  current: { currentSince: string | null; notAfter: string | null } | null,
  now: Date = new Date(),
): Promise<ConnectionPolicyView> {
  const policy = await tenantPolicy();
  const override = policy.overrides.get(connectionId) ?? null;
  const period = effectivePeriod(override, policy.tenantDays, policy.configuredDays);
  const due = dueAt(current?.currentSince ? new Date(current.currentSince) : null, period.days);
  const notAfter = current?.notAfter ? new Date(current.notAfter) : null;
  return {
    periodDays: period.days,
    source: period.source,
    override,
    inheritedDays: policy.tenantDays ?? policy.configuredDays,
    inheritedFrom: policy.tenantDays === null ? 'default' : 'tenant',
    dueAt: due?.getTime() ?? null,
    state: dueState(due, now),
    certNotAfter: notAfter?.getTime() ?? null,
    certState: certState(notAfter, now),
  };
}

/**
 * The snapshot's first `rows` by due date (the page's first sort), for the server-rendered HTML: 10,000 rows weigh
 * no more than a screenful, and the browser fetches the rest at once.
 */
export function previewSnapshot(snapshot: FleetSnapshot, rows: number): FleetSnapshot {
  const all = unpackFleet(snapshot.packed);
  if (all.length <= rows) return snapshot;
  const first = all.sort(compareFleet('due', 'asc')).slice(0, rows);
  return { ...snapshot, packed: packFleet(first), preview: { total: all.length } };
}
