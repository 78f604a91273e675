import type { Role, TenantRoles } from '@/lib/auth/roles';
import type { CurrentUser } from '@/lib/auth/session-types';
import type { TenantConfig } from '@/lib/tenants/config';
import { inTenant } from '@/lib/tenants/scope';

/** Test-only: the tenant unit tests run actions on, and what the action helper needs to find it. */
export const TEST_TENANT: TenantConfig = {
  slug: 'acme',
  name: 'Acme',
  environment: 'production',
  domain: 'acme.test',
  apiOrigin: undefined,
  clientId: undefined,
  clientSecret: undefined,
  managementToken: undefined,
};

export const testTenants = (tenants: TenantConfig[] = [TEST_TENANT]) => ({
  tenantBySlug: (slug: string) => tenants.find((tenant) => tenant.slug === slug),
  inTenant,
});

/** A role in every tenant. */
export const everywhere = (role: Role | null): TenantRoles => ({ all: role, bySlug: {} });

/**
 * A module whose every exported function runs in the scope of the configured tenant (the first, as the single-tenant
 * variables make it): for a test that calls lib/auth0 directly, as an action or a page would inside their tenant.
 */
export async function inConfiguredTenant<M extends Record<string, unknown>>(module: Promise<M>): Promise<M> {
  const { config } = await import('@/lib/config');
  const tenant = config().tenants[0];
  if (!tenant) throw new Error('no tenant configured');
  const loaded = await module;
  return Object.fromEntries(
    Object.entries(loaded).map(([name, value]) => [
      name,
      typeof value === 'function' ? (...args: unknown[]) => inTenant(tenant, () => value(...args)) : value,
    ]),
  ) as M;
}

/** Test users with a role in every tenant: Alice rotates, Bob views, Carol has none. */
export const TEST_USERS = {
  alice: { sub: 'auth0|alice', email: 'alice@example.com', name: 'Alice', roles: everywhere('rotator') },
  bob: { sub: 'auth0|bob', email: 'bob@example.com', name: 'Bob', roles: everywhere('viewer') },
  carol: { sub: 'auth0|carol', email: 'carol@example.com', name: 'Carol', roles: everywhere(null) },
} satisfies Record<string, CurrentUser>;
