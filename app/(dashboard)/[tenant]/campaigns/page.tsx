import type { Metadata } from 'next';
import Link from 'next/link';
import { CampaignForm } from '@/components/campaign-form';
import { SchedulePanel } from '@/components/schedule-panel';
import { can } from '@/lib/auth/roles';
import { requirePermission } from '@/lib/auth/session';
import { campaignSummaries, scheduleView } from '@/lib/campaigns/live';
import { filterFromQuery } from '@/lib/campaigns/plan';
import { tenantHref } from '@/lib/tenants/paths';
import { inTenant } from '@/lib/tenants/scope';
import { pageTenant } from '../tenant';

export const metadata: Metadata = { title: 'Campaigns' };

const STATES = { running: 'Running', paused: 'Paused', cancelled: 'Cancelled', finished: 'Finished' } as const;
const time = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** The tenant's rotation campaigns, newest first; rotators start new ones here. */
export default async function CampaignsPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const tenant = await pageTenant(params);
  const user = await requirePermission('keys:read', `/${tenant.slug}/campaigns`, tenant.slug);
  const [campaigns, schedule] = await inTenant(tenant, () => Promise.all([campaignSummaries(), scheduleView()]));
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold text-slate-900">Campaigns</h1>
        <p className="text-sm text-slate-600">
          Many connections rotated one by one as jobs, each exactly like a single rotation, within a share of the
          tenant’s rate limit. Pause, resume or cancel at any time; progress survives reloads and restarts.
        </p>
      </div>
      {can(user.role, 'keys:rotate') ? <CampaignForm fleetFilter={filterFromQuery(await searchParams)} /> : null}
      <SchedulePanel initial={schedule} canEdit={can(user.role, 'policy:write')} />
      {campaigns.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-center text-sm text-slate-600">
          No campaign has run in this tenant yet.
        </p>
      ) : (
        <ol
          aria-label="Campaign history"
          className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white"
        >
          {campaigns.map((campaign) => (
            <li key={campaign.id} className="space-y-0.5 px-4 py-3 text-sm">
              <div className="flex flex-wrap items-baseline gap-x-2">
                <Link
                  href={tenantHref(tenant.slug, `/campaigns/${campaign.id}`)}
                  className="font-medium text-indigo-700 hover:underline"
                >
                  {campaign.counts.total} connection{campaign.counts.total === 1 ? '' : 's'} ({campaign.selection})
                </Link>
                <span className="text-xs font-medium text-slate-700">{STATES[campaign.state]}</span>
              </div>
              <p className="text-xs text-slate-600">
                by {campaign.createdBy} · {time(campaign.createdAt)} · {campaign.counts.succeeded} rotated,{' '}
                {campaign.counts.failed + campaign.counts.unknown} failed, {campaign.counts.skipped} skipped
                {campaign.counts.cancelled ? `, ${campaign.counts.cancelled} cancelled` : ''}
              </p>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
