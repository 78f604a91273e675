import type { Metadata } from 'next';
import { AuditTrail } from '@/components/audit-trail';
import { ErrorPanel } from '@/components/error-panel';
import { auditPage } from '@/lib/audit/view/audit-page';
import { lastChainStatus } from '@/lib/audit/view/chain-status';
import { auditHref, parseAuditSearch } from '@/lib/audit/view/filters';
import { requirePermission } from '@/lib/auth/session';
import { inTenant } from '@/lib/tenants/scope';
import { pageTenant } from '../tenant';

export const metadata: Metadata = { title: 'Audit trail' };

/** The first render reads the tenant's logs (throttled) and waits this long for them at most. */

export default async function AuditPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const tenant = await pageTenant(params);
  const search = parseAuditSearch(await searchParams);
  await requirePermission('audit:read', auditHref(search, `/${tenant.slug}/audit`), tenant.slug);
  const initial = await inTenant(tenant, () => auditPage(search, { sync: true })).catch((error: unknown) => {
    console.error('[keyshift] the audit page could not be loaded', String(error));
    return null;
  });
  if (!initial) {
    return (
      <ErrorPanel
        title="The audit trail could not be loaded"
        message="Keyshift could not read its audit database. Try again in a moment."
      />
    );
  }
  return <AuditTrail search={search} initial={initial} serverNow={Date.now()} chain={lastChainStatus()} />;
}
