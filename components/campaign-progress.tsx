'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { campaignAction, controlCampaignAction } from '@/app/(dashboard)/[tenant]/campaigns/actions';
import { saveBlob } from '@/lib/browser/save-file';
import { type CampaignView, campaignCsv, formatDuration, type ItemStatusView } from '@/lib/campaigns/view';
import { useTenant } from './tenant-context';

const POLL_MS = 2_000;

const STATE_LABELS = { running: 'Running', paused: 'Paused', cancelled: 'Cancelled', finished: 'Finished' } as const;
const STATE_STYLES = {
  running: 'bg-indigo-50 text-indigo-800 ring-indigo-200',
  paused: 'bg-amber-50 text-amber-900 ring-amber-300',
  cancelled: 'bg-slate-100 text-slate-700 ring-slate-200',
  finished: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
} as const;
const ITEM_LABELS: Record<ItemStatusView, string> = {
  pending: 'Waiting',
  running: 'Rotating',
  succeeded: 'Rotated',
  failed: 'Failed',
  skipped: 'Skipped',
  cancelled: 'Cancelled',
  unknown: 'Unknown: check the keys',
};
const ITEM_STYLES: Record<ItemStatusView, string> = {
  pending: 'text-slate-600',
  running: 'text-indigo-800',
  succeeded: 'text-emerald-800',
  failed: 'text-red-800',
  skipped: 'text-slate-600',
  cancelled: 'text-slate-600',
  unknown: 'text-amber-900',
};

/** A campaign's live progress (asked every 2 s while anything can still change), its controls and its summary. */
export function CampaignProgress({ initial, canControl }: { initial: CampaignView; canControl: boolean }) {
  const tenant = useTenant();
  const queryClient = useQueryClient();
  const key = ['campaign', initial.id];
  const query = useQuery({
    queryKey: key,
    queryFn: async () => {
      const result = await campaignAction({ tenant: tenant.slug, campaignId: initial.id });
      if (!result.ok) throw new Error(result.message);
      return result.data;
    },
    initialData: initial,
    refetchInterval: (current) => {
      const data = current.state.data;
      const moving = data && (data.state === 'running' || data.counts.running > 0);
      return moving ? POLL_MS : false;
    },
  });
  const control = useMutation({
    mutationFn: async (what: 'pause' | 'resume' | 'cancel') => {
      const result = await controlCampaignAction({ tenant: tenant.slug, campaignId: initial.id, control: what });
      if (!result.ok) throw new Error(result.message);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  const view = query.data;
  const { counts } = view;
  const done = counts.succeeded + counts.failed + counts.skipped + counts.cancelled + counts.unknown;
  return (
    <div className="space-y-4">
      <section aria-label="Progress" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <div className="flex flex-wrap items-center gap-2">
          <span
            data-testid="campaign-state"
            data-state={view.state}
            className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STATE_STYLES[view.state]}`}
          >
            {STATE_LABELS[view.state]}
          </span>
          <span className="text-sm text-slate-700">
            {done} of {counts.total} done
            {view.state === 'running' && view.secondsLeft !== null && view.secondsLeft > 0
              ? ` · about ${formatDuration(view.secondsLeft)} left`
              : ''}
          </span>
        </div>
        <progress
          aria-label="Items done"
          value={done}
          max={Math.max(1, counts.total)}
          className="h-2 w-full overflow-hidden rounded-full [&::-webkit-progress-bar]:bg-slate-100 [&::-webkit-progress-value]:bg-indigo-500"
        />
        <dl className="grid grid-cols-3 gap-2 text-sm sm:grid-cols-6" data-testid="campaign-counts">
          {(
            [
              ['Rotated', counts.succeeded],
              ['Failed', counts.failed + counts.unknown],
              ['Skipped', counts.skipped],
              ['Cancelled', counts.cancelled],
              ['Rotating', counts.running],
              ['Remaining', counts.pending],
            ] as const
          ).map(([label, value]) => (
            <div key={label} className="rounded-md bg-slate-50 px-2 py-1.5">
              <dt className="text-xs text-slate-600">{label}</dt>
              <dd className="font-semibold text-slate-900" data-count={label}>
                {value}
              </dd>
            </div>
          ))}
        </dl>
        <div className="flex flex-wrap items-center gap-2">
          {canControl && view.state === 'running' ? (
            <ControlButton label="Pause" busy={control.isPending} onClick={() => control.mutate('pause')} />
          ) : null}
          {canControl && view.state === 'paused' ? (
            <ControlButton label="Resume" busy={control.isPending} onClick={() => control.mutate('resume')} />
          ) : null}
          {canControl && (view.state === 'running' || view.state === 'paused') ? (
            <ControlButton label="Cancel the rest" busy={control.isPending} onClick={() => control.mutate('cancel')} />
          ) : null}
          <button
            type="button"
            onClick={() =>
              saveBlob(new Blob([campaignCsv(view)], { type: 'text/csv' }), `campaign-${view.id.slice(0, 8)}.csv`)
            }
            className="rounded-md px-3 py-1.5 text-sm text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"
          >
            Download CSV
          </button>
        </div>
        <p aria-live="polite" className="text-sm text-red-700">
          {control.isError ? control.error.message : query.isError ? `Could not refresh: ${query.error.message}` : null}
        </p>
        {view.state === 'paused' && counts.running > 0 ? (
          <p className="text-sm text-slate-700">
            Paused: {counts.running} rotation{counts.running === 1 ? '' : 's'} already under way will finish and be
            recorded.
          </p>
        ) : null}
      </section>
      <ol aria-label="Connections" className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
        {view.items.map((item) => (
          <li key={item.connectionId} className="space-y-0.5 px-4 py-2 text-sm" data-item-status={item.status}>
            <div className="flex flex-wrap items-baseline justify-between gap-x-3">
              <a
                href={tenant.href(`/connections/${item.connectionId}`)}
                className="font-medium [overflow-wrap:anywhere] text-indigo-700 hover:underline"
              >
                {item.name}
              </a>
              <span className={`text-xs font-medium ${ITEM_STYLES[item.status]}`}>{ITEM_LABELS[item.status]}</span>
            </div>
            <p className="text-xs [overflow-wrap:anywhere] text-slate-600">
              {item.algorithm ?? 'no algorithm'}
              {item.acknowledged ? ' · rotated although not ready (acknowledged)' : ''}
              {item.newKid ? ` · new next key ${item.newKid}` : ''}
              {item.attempts > 1 ? ` · ${item.attempts} attempts` : ''}
            </p>
            {item.message ? <p className="text-xs [overflow-wrap:anywhere] text-slate-700">{item.message}</p> : null}
          </li>
        ))}
      </ol>
    </div>
  );
}

function ControlButton({ label, busy, onClick }: { label: string; busy: boolean; onClick(): void }) {
  return (
    <button
      type="button"
      disabled={busy}
      onClick={onClick}
      className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50 disabled:opacity-60"
    >
      {label}
    </button>
  );
}
