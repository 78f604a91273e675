/**
 * The rotation policy's arithmetic, pure and client-safe: which period applies to a connection, when its current key is
 * due, and what state that puts it in. Certificate expiry is tracked apart from the due date: a key can be within its
 * period with a certificate about to lapse, or overdue with years of validity left.
 */

export const DAY_MS = 86_400_000;
/** A connection is `due_soon` this many days before its due date. */
export const DUE_SOON_DAYS = 30;
/** A certificate is `expiring` this many days before its notAfter. */
export const CERT_EXPIRING_DAYS = 30;

/** `no_key`: nothing is current (not provisioned, unsupported, or never read), so nothing can be due. */
export const DUE_STATES = ['overdue', 'due_soon', 'ok', 'no_key'] as const;
export type DueState = (typeof DUE_STATES)[number];

export const CERT_STATES = ['expired', 'expiring', 'ok', 'unknown'] as const;
export type CertState = (typeof CERT_STATES)[number];

/** Where a connection's period comes from: its own override, the tenant's setting, or the configured default. */
export type PeriodSource = 'connection' | 'tenant' | 'default';

export interface EffectivePeriod {
  days: number;
  source: PeriodSource;
}

export function effectivePeriod(
  override: number | null | undefined,
  tenantPeriod: number | null | undefined,
  configuredDays: number,
): EffectivePeriod {
  if (override != null) return { days: override, source: 'connection' };
  if (tenantPeriod != null) return { days: tenantPeriod, source: 'tenant' };
  return { days: configuredDays, source: 'default' };
}

/** The current key's due date: the time it became current plus the period. */
export function dueAt(currentSince: Date | null, periodDays: number): Date | null {
  return currentSince ? new Date(currentSince.getTime() + periodDays * DAY_MS) : null;
}

export function dueState(due: Date | null, now: Date): DueState {
  if (!due) return 'no_key';
  const left = due.getTime() - now.getTime();
  if (left <= 0) return 'overdue';
  return left <= DUE_SOON_DAYS * DAY_MS ? 'due_soon' : 'ok';
}

export function certState(notAfter: Date | null, now: Date): CertState {
  if (!notAfter) return 'unknown';
  const left = notAfter.getTime() - now.getTime();
  if (left <= 0) return 'expired';
  return left <= CERT_EXPIRING_DAYS * DAY_MS ? 'expiring' : 'ok';
}

/** Whole days from `from` to `to`, rounded down (negative when `to` is past). */
export function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}

export const DUE_STATE_LABELS: Record<DueState, string> = {
  overdue: 'Overdue',
  due_soon: 'Due soon',
  ok: 'OK',
  no_key: 'No current key',
};

export const CERT_STATE_LABELS: Record<CertState, string> = {
  expired: 'Expired',
  expiring: 'Expiring',
  ok: 'Valid',
  unknown: 'Unknown',
};
