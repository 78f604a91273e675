import type { Metadata } from 'next';
import { auditStore } from '@/lib/audit';
import { requirePermission } from '@/lib/auth/session';
import { configuredChannels } from '@/lib/notify/live';
import { pageTenant } from '../tenant';

export const metadata: Metadata = { title: 'Alerts' };

const LIMIT = 200;
const STATUS_STYLES = {
  sent: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  pending: 'bg-amber-50 text-amber-900 ring-amber-300',
  failed: 'bg-red-50 text-red-800 ring-red-200',
} as const;
const CHANNELS = { webhook: 'Webhook', slack: 'Slack', email: 'Email' } as const;

const time = (date: Date | null) => (date ? `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '—');

/** The tenant's alert deliveries, newest first, for rotators: what was sent where, and what is still trying. */
export default async function AlertsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const tenant = await pageTenant(params);
  await requirePermission('alerts:read', `/${tenant.slug}/alerts`, tenant.slug);
  const channels = configuredChannels();
  const deliveries = await (await auditStore()).deliveries(tenant.domain, LIMIT);
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold text-slate-900">Alerts</h1>
        <p className="text-sm text-slate-600">
          Rotations, failed rotations, and keys or certificates 60, 30 and 7 days before they are due, sent once each
          with retries.
        </p>
      </div>
      <section aria-label="Channels" className="rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm">
        {channels.length === 0 ? (
          <p className="text-slate-700">
            No channel is configured, so no alert is sent. Set NOTIFY_WEBHOOK_URLS, NOTIFY_SLACK_WEBHOOK_URL or
            SMTP_URL.
          </p>
        ) : (
          <ul className="space-y-1">
            {channels.map((channel) => (
              <li key={`${channel.channel} ${channel.target}`} className="break-words text-slate-800">
                <span className="font-medium">{CHANNELS[channel.channel as keyof typeof CHANNELS]}</span> →{' '}
                {channel.target}
              </li>
            ))}
          </ul>
        )}
      </section>
      {deliveries.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-center text-sm text-slate-600">
          No alert has been sent for this tenant yet.
        </p>
      ) : (
        <ol aria-label="Deliveries" className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {deliveries.map((delivery) => (
            <li key={delivery.id} className="space-y-1 px-4 py-3 text-sm" data-delivery={delivery.kind}>
              <div className="flex flex-wrap items-center gap-2">
                <span
                  data-status={delivery.status}
                  className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STATUS_STYLES[delivery.status]}`}
                >
                  {delivery.status === 'sent' ? 'Sent' : delivery.status === 'failed' ? 'Failed' : 'Trying'}
                </span>
                <span className="min-w-0 font-medium [overflow-wrap:anywhere] text-slate-900">{delivery.subject}</span>
              </div>
              <p className="text-xs [overflow-wrap:anywhere] text-slate-600">
                {CHANNELS[delivery.channel]} → {delivery.target} · {delivery.attempts} attempt
                {delivery.attempts === 1 ? '' : 's'} · enqueued {time(delivery.createdAt)}
                {delivery.sentAt ? ` · sent ${time(delivery.sentAt)}` : ''}
                {delivery.status === 'pending' && delivery.attempts > 0
                  ? ` · next try ${time(delivery.nextAttemptAt)}`
                  : ''}
              </p>
              {delivery.lastError && delivery.status !== 'sent' ? (
                <p className="text-xs text-red-800">{delivery.lastError}</p>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
