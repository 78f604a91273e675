import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { CampaignProgress } from '@/components/campaign-progress';
import { can } from '@/lib/auth/roles';
import { requirePermission } from '@/lib/auth/session';
import { campaignView } from '@/lib/campaigns/live';
import { tenantHref } from '@/lib/tenants/paths';
import { inTenant } from '@/lib/tenants/scope';
import { pageTenant } from '../../tenant';

export const metadata: Metadata = { title: 'Campaign' };

export default async function CampaignPage({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const tenant = await pageTenant(params);
  const { id } = await params;
  const user = await requirePermission('keys:read', `/${tenant.slug}/campaigns/${id}`, tenant.slug);
  const view = /^[0-9a-f-]{36}$/.test(id) ? await inTenant(tenant, () => campaignView(id)) : null;
  if (!view) notFound();
  return (
    <div className="space-y-4">
      <div>
        <Link href={tenantHref(tenant.slug, '/campaigns')} className="text-sm text-indigo-700 hover:underline">
          ← Campaigns
        </Link>
        <h1 className="text-xl font-semibold text-slate-900">
          Campaign: {view.counts.total} connection{view.counts.total === 1 ? '' : 's'} ({view.selection})
        </h1>
        <p className="text-sm text-slate-600">
          Started by {view.createdBy} on {view.createdAt.slice(0, 16).replace('T', ' ')} UTC, at{' '}
          {Math.round(view.share * 100)} % of the tenant’s rate limit. Each rotation’s audit events name this campaign.
        </p>
      </div>
      <CampaignProgress initial={view} canControl={can(user.role, 'keys:rotate')} />
    </div>
  );
}
