import type { Role, TenantRoles } from '@/lib/auth/roles';
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
