import 'server-only';
import { notFound } from 'next/navigation';
import { tenantBySlug } from '@/lib/config';
import type { TenantConfig } from '@/lib/tenants/config';

/** The tenant a page's URL names (`/{slug}/…`); an unknown slug is a 404. */
export async function pageTenant(params: Promise<{ tenant: string }>): Promise<TenantConfig> {
  const tenant = tenantBySlug((await params).tenant);
  if (!tenant) notFound();
  return tenant;
}

/** What the browser may know of a tenant: never its credentials. */
export function tenantView({ slug, name, environment, domain }: TenantConfig) {
  return { slug, name, environment, domain };
}
