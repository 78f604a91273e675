'use client';

import { validity } from '@/lib/certs/validity';

const TONE = {
  valid: 'text-slate-700',
  expiring: 'text-amber-700 font-medium',
  expired: 'text-red-700 font-medium',
  'not-yet-valid': 'text-amber-700',
} as const;

function day(iso: string): string {
  return iso.slice(0, 10);
}

export function ValidityLabel({ notBefore, notAfter }: { notBefore: string; notAfter: string }) {
  const state = validity({ notBefore, notAfter });
  return (
    <div className="text-xs leading-5">
      <div className={TONE[state.status]}>{state.label}</div>
      <div className="whitespace-nowrap text-slate-500" title={`Not before ${notBefore}, not after ${notAfter}`}>
        {day(notBefore)} → {day(notAfter)}
      </div>
    </div>
  );
}
