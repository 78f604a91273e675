'use client';

import { useMutation } from '@tanstack/react-query';
import { verifyChainAction } from '@/app/(dashboard)/[tenant]/audit/actions';
import { absoluteTime } from '@/lib/audit/view/format';
import type { ChainStatus } from '@/lib/audit/view/types';
import { unwrap } from '@/lib/browser/action-result';
import { useTenant } from './tenant-context';

const count = new Intl.NumberFormat('en');

function Status({ status }: { status: ChainStatus }) {
  if (status.ok) {
    return (
      <span
        className="inline-flex items-center gap-1.5 rounded-full bg-emerald-50 px-2.5 py-0.5 text-xs font-medium text-emerald-800 ring-1 ring-emerald-200 ring-inset"
        title={`Checked ${absoluteTime(status.checkedAt)}${status.head ? `; head #${status.head.id} ${status.head.hash}` : ''}`}
      >
        <span aria-hidden="true">✓</span> Chain verified: {count.format(status.checked)} events
      </span>
    );
  }
  return (
    <span
      role="alert"
      className="inline-flex items-center gap-1.5 rounded-md bg-red-600 px-2.5 py-1 text-sm font-semibold text-white"
    >
      <span aria-hidden="true">⚠</span> Chain broken at event #{status.firstBroken.id}: {status.firstBroken.reason}
    </span>
  );
}

/**
 * Whether the audit chain is intact: recomputed on demand (it reads every event), the last result kept by the server
 * for a short while so that many reviewers do not each walk the whole chain.
 */
export function ChainBadge({ initial }: { initial: ChainStatus | null }) {
  const tenant = useTenant();
  const verify = useMutation({ mutationFn: () => unwrap(verifyChainAction({ tenant: tenant.slug })) });
  const status = verify.data ?? initial;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <div aria-live="polite" className="text-sm">
        {verify.isPending ? (
          <span className="text-slate-600">Verifying the chain…</span>
        ) : verify.error ? (
          <span className="text-red-700">The chain could not be verified: {verify.error.message}</span>
        ) : status ? (
          <Status status={status} />
        ) : (
          <span className="text-slate-600">Chain not verified yet.</span>
        )}
      </div>
      <button
        type="button"
        onClick={() => verify.mutate()}
        disabled={verify.isPending}
        className="rounded-md border border-slate-300 bg-white px-3 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60"
      >
        Verify chain
      </button>
    </div>
  );
}
