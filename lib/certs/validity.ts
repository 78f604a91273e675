import type { CertificateFacts } from './parse-certificate';

export type ValidityStatus = 'not-yet-valid' | 'valid' | 'expiring' | 'expired';

export interface Validity {
  status: ValidityStatus;
  /** Whole days until notAfter, truncated toward zero: negative once expired, 0 within the last or first day. */
  daysLeft: number;
  label: string;
}

/** A key this close to expiry needs rotating soon, so the UI flags it before it breaks logins. */
export const EXPIRING_WITHIN_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

export function validity(facts: Pick<CertificateFacts, 'notBefore' | 'notAfter'>, now: Date = new Date()): Validity {
  const notBefore = Date.parse(facts.notBefore);
  const notAfter = Date.parse(facts.notAfter);
  const msLeft = notAfter - now.getTime();
  const daysLeft = Math.trunc(msLeft / DAY_MS) || 0;

  // RFC 5280 validity is inclusive at both ends.
  if (now.getTime() < notBefore) {
    const daysUntilValid = Math.trunc((notBefore - now.getTime()) / DAY_MS);
    return { status: 'not-yet-valid', daysLeft, label: `becomes valid ${inDays(daysUntilValid)}` };
  }
  if (msLeft < 0) {
    return { status: 'expired', daysLeft, label: `expired ${daysAgo(-daysLeft)}` };
  }
  const status = msLeft <= EXPIRING_WITHIN_DAYS * DAY_MS ? 'expiring' : 'valid';
  return { status, daysLeft, label: `expires ${inDays(daysLeft)}` };
}

function inDays(days: number): string {
  return days === 0 ? 'in less than a day' : `in ${pluralDays(days)}`;
}

function daysAgo(days: number): string {
  return days === 0 ? 'less than a day ago' : `${pluralDays(days)} ago`;
}

function pluralDays(days: number): string {
  return days === 1 ? '1 day' : `${days} days`;
}
