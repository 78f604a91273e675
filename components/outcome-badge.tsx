import type { RotationOutcome } from '@/lib/audit/outcomes';
import { OUTCOME_BADGES } from '@/lib/audit/view/format';

export function OutcomeBadge({ outcome }: { outcome: RotationOutcome }) {
  const badge = OUTCOME_BADGES[outcome];
  return (
    <span
      className={`inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${badge.className}`}
    >
      {badge.label}
    </span>
  );
}
