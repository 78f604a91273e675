import type { ConnectionKey } from '@/lib/auth0/types';

/** The last rotation of a connection the audit trail knows of: Keyshift's own, or one synced from the tenant logs. */
export interface KnownRotation {
  /** A name for whoever rotated: the operator, or the client named by the tenant log. */
  who: string;
  at: Date;
  /** Made outside Keyshift (a `rotation.external` from the log sync). */
  external: boolean;
}

/** The kids the operator saw (and confirmed against) when asking for the rotation. */
export interface ShownKids {
  expectedCurrentKid: string;
  expectedNextKid: string;
}

/** True when the keys just read, under the lock, are the ones the operator confirmed against. */
export function keysAsShown(keys: ConnectionKey[], shown: ShownKids): boolean {
  const current = keys.find((key) => key.current)?.kid ?? null;
  const next = keys.find((key) => key.next)?.kid ?? null;
  return current === shown.expectedCurrentKid && next === shown.expectedNextKid;
}

const REVIEW = 'Review the new keys, then rotate again if you still mean to.';

/** The sentence an operator reads when the keys moved under their page; `now` in epoch milliseconds. */
export function keysChangedMessage(last: KnownRotation | null, now: number): string {
  if (!last) return `The keys changed since this page loaded. ${REVIEW}`;
  const where = last.external ? ' outside Keyshift' : '';
  return `The keys changed since this page loaded: ${last.who} rotated them${where} ${ago(last.at, now)}. ${REVIEW}`;
}

function ago(at: Date, now: number): string {
  const seconds = Math.max(0, Math.round((now - at.getTime()) / 1000));
  if (seconds < 90) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 36) return `${hours} h ago`;
  const iso = at.toISOString();
  return `on ${iso.slice(0, 10)} at ${iso.slice(11, 16)} UTC`;
}
