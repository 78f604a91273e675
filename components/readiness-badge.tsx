import type { Readiness } from '@/lib/idp/readiness';

const STYLES = {
  ready: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  not_ready: 'bg-amber-50 text-amber-900 ring-amber-300',
  unknown: 'bg-slate-100 text-slate-700 ring-slate-200',
} as const;

const LABELS = { ready: 'Ready', not_ready: 'Not ready', unknown: 'Readiness unknown' } as const;

/** Whether the IdP already trusts the next key; the reason is the badge's title and, unless compact, beside it. */
export function ReadinessBadge({
  readiness,
  compact = false,
  note,
}: {
  readiness: Readiness;
  compact?: boolean;
  /** Said after the reason, where the figures come from (the list's are Keyshift's records only). */
  note?: string;
}) {
  const reason = note ? `${readiness.reason} ${note}` : readiness.reason;
  return (
    <span className="inline-flex flex-wrap items-baseline gap-x-2 gap-y-1">
      <span
        data-readiness={readiness.state}
        title={compact ? reason : undefined}
        className={`inline-flex shrink-0 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLES[readiness.state]}`}
      >
        {LABELS[readiness.state]}
      </span>
      {compact ? <span className="sr-only">{reason}</span> : null}
      {compact ? null : <span className="min-w-0 text-sm [overflow-wrap:anywhere] text-slate-700">{reason}</span>}
    </span>
  );
}
