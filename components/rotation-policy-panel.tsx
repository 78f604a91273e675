'use client';

import { useRouter } from 'next/navigation';
import { CERT_STATE_LABELS, DUE_STATE_LABELS } from '@/lib/fleet/policy';
import type { ConnectionPolicyView } from '@/lib/fleet/view';
import { RotationPeriodForm } from './rotation-period-form';

const dayFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

const SOURCES = {
  connection: 'this connection’s own period',
  tenant: 'the tenant’s period',
  default: 'the configured default',
} as const;

/** The connection's rotation period, its due date and state, and its certificate's expiry; rotators may change it. */
export function RotationPolicyPanel({
  connectionId,
  policy,
  canEdit,
}: {
  connectionId: string;
  policy: ConnectionPolicyView;
  canEdit: boolean;
}) {
  const router = useRouter();
  return (
    <div className="space-y-3 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm">
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-3">
        <div>
          <dt className="text-xs font-medium text-slate-600">Period</dt>
          <dd className="text-slate-900">
            Every {policy.periodDays} day{policy.periodDays === 1 ? '' : 's'}{' '}
            <span className="text-slate-600">({SOURCES[policy.source]})</span>
          </dd>
        </div>
        <div>
          <dt className="text-xs font-medium text-slate-600">Current key due</dt>
          <dd className="text-slate-900" data-state={policy.state}>
            {DUE_STATE_LABELS[policy.state]}
            {policy.dueAt !== null ? ` · ${dayFormat.format(policy.dueAt)}` : ''}
          </dd>
        </div>
        <div>
          <dt className="text-xs font-medium text-slate-600">Certificate</dt>
          <dd className="text-slate-900" data-cert-state={policy.certState}>
            {CERT_STATE_LABELS[policy.certState]}
            {policy.certNotAfter !== null ? ` · until ${dayFormat.format(policy.certNotAfter)}` : ''}
          </dd>
        </div>
      </dl>
      {canEdit ? (
        <RotationPeriodForm
          connectionId={connectionId}
          current={policy.override}
          inheritedDays={policy.inheritedDays}
          inheritedFrom={policy.inheritedFrom === 'tenant' ? 'the tenant' : 'the configured default'}
          onSaved={() => router.refresh()}
        />
      ) : null}
    </div>
  );
}
