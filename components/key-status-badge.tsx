import type { ConnectionKey } from '@/lib/auth0/types';

export function keyStatus(
  key: Pick<ConnectionKey, 'current' | 'next' | 'previous'>,
): 'current' | 'next' | 'previous' | 'other' {
  return key.current ? 'current' : key.next ? 'next' : key.previous ? 'previous' : 'other';
}

const STYLES = {
  current: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  next: 'bg-indigo-50 text-indigo-800 ring-indigo-200',
  previous: 'bg-slate-100 text-slate-700 ring-slate-200',
  other: 'bg-slate-100 text-slate-700 ring-slate-200',
} as const;

export function KeyStatusBadge({ keyState }: { keyState: Pick<ConnectionKey, 'current' | 'next' | 'previous'> }) {
  const status = keyStatus(keyState);
  return (
    <span
      className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium capitalize ring-1 ring-inset ${STYLES[status]}`}
    >
      {status === 'other' ? 'inactive' : status}
    </span>
  );
}
