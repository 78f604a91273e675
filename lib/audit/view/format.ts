import type { RotationOutcome } from '@/lib/audit/outcomes';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "just now", "3 minutes ago", "yesterday", "in 2 hours": the largest whole unit. */
export function relativeTime(iso: string, now: number): string {
  const diff = Date.parse(iso) - now;
  const size = Math.abs(diff);
  if (size < 45_000) return 'just now';
  for (const [unit, ms] of UNITS) {
    if (size >= ms || unit === 'minute') return relative.format(Math.sign(diff) * Math.round(size / ms), unit);
  }
  return 'just now';
}

/** "2025-03-04 13:05:09 UTC": unambiguous for a reviewer in any time zone. */
export function absoluteTime(iso: string): string {
  return new Date(iso)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1_000)} s`;
}

export function actorLabel(row: { actorName: string | null; actorEmail: string | null; actorSub: string | null }) {
  return row.actorName ?? row.actorEmail ?? row.actorSub ?? 'unknown';
}

export const OUTCOME_BADGES: Record<RotationOutcome, { label: string; className: string }> = {
  succeeded: { label: 'Succeeded', className: 'bg-emerald-50 text-emerald-800 ring-emerald-200' },
  failed: { label: 'Failed', className: 'bg-red-50 text-red-800 ring-red-200' },
  unknown: { label: 'Unknown', className: 'bg-amber-50 text-amber-900 ring-amber-200' },
  in_progress: { label: 'In progress', className: 'bg-sky-50 text-sky-800 ring-sky-200' },
  external: { label: 'External', className: 'bg-violet-50 text-violet-800 ring-violet-200' },
};
