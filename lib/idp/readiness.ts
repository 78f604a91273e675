import type { IdpSetting, IdpStatus, NextKeyAppearance } from './types';

/** Client-safe: the page, the list and the rotate dialog compute readiness from the same facts. */
export type Readiness =
  | { state: 'ready'; reason: string }
  | { state: 'not_ready'; reason: string }
  | { state: 'unknown'; reason: string };

export interface ReadinessFacts {
  setting: IdpSetting;
  /** The connection's next kid now; null when it has none. */
  nextKid: string | null;
  appearance: NextKeyAppearance | null;
  now: Date;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** "24 h", "90 min", "7 d", "1 d 6 h": at most two units, rounded down (up with `up`) to the smaller one. */
export function formatDuration(ms: number, rounding: 'down' | 'up' = 'down'): string {
  const round = rounding === 'up' ? Math.ceil : Math.floor;
  const minutes = Math.max(0, round(ms / MINUTE));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) {
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
  }
  const hours = round(ms / HOUR);
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest === 0 ? `${days} d` : `${days} d ${rest} h`;
}

/**
 * Whether the IdP already trusts the connection's next key, so a rotation (which makes it current) keeps sign-in
 * working. Only Keyshift's own evidence counts: the current key's `current_since` says nothing about when the next
 * key was published, so a next key without an event naming it is "unknown since when".
 */
export function readiness({ setting, nextKid, appearance, now }: ReadinessFacts): Readiness {
  if (setting.mode === 'unknown') {
    return { state: 'unknown', reason: 'Nobody has recorded how this connection’s IdP learns keys.' };
  }
  if (nextKid === null) return { state: 'not_ready', reason: 'The connection has no next key.' };
  if (setting.mode === 'pasted') {
    const attestation = setting.attestation;
    if (attestation?.kid === nextKid) {
      const who = attestation.byName ?? attestation.byEmail ?? attestation.bySub;
      return {
        state: 'ready',
        reason: `${who} recorded at ${attestation.at} that the IdP admin confirmed key ${nextKid}.`,
      };
    }
    return { state: 'not_ready', reason: `No IdP admin has confirmed key ${nextKid} yet.` };
  }
  const cache = setting.cacheSeconds * 1000;
  const caches = `The IdP caches the JWKS for ${formatDuration(cache)}`;
  const since = appearance && (appearance.kid === null || appearance.kid === nextKid) ? Date.parse(appearance.at) : NaN;
  if (Number.isNaN(since)) {
    return {
      state: 'not_ready',
      reason: `${caches}; Keyshift does not know since when key ${nextKid} has been published, so it cannot tell whether the IdP has fetched it.`,
    };
  }
  const age = now.getTime() - since;
  if (age > cache) {
    return { state: 'ready', reason: `${caches}; the next key appeared ${formatDuration(age)} ago.` };
  }
  return {
    state: 'not_ready',
    reason: `${caches}; the next key appeared ${formatDuration(age)} ago: ready in ${formatDuration(cache - age, 'up')}.`,
  };
}

/** What the connection list says of its readiness figures, which come from Keyshift's records alone. */
export const LIST_READINESS_NOTE = 'As of Keyshift’s records; the connection page checks Auth0.';

/**
 * Readiness for the connection list, which does not read each connection's keys from Auth0: the next kid is the
 * latest Keyshift's records name, the key the trail last saw appear or the one last confirmed (a confirmation is
 * checked against Auth0's next key when it is made), whichever is later.
 */
export function listReadiness(status: IdpStatus, now: Date): Readiness {
  const { setting, appearance } = status;
  if (setting.mode === 'unknown') return readiness({ setting, nextKid: null, appearance, now });
  const seen = appearance?.kid ? { kid: appearance.kid, at: Date.parse(appearance.at) } : null;
  const attested = setting.attestation
    ? { kid: setting.attestation.kid, at: Date.parse(setting.attestation.at) }
    : null;
  const latest = seen && attested ? (attested.at > seen.at ? attested : seen) : (seen ?? attested);
  // A next key whose event did not name it (an external rotation whose log lacked the kid), newer than any
  // confirmation: the page (readiness above) times a JWKS URL from it too, so the list does the same.
  const unnamedAt = appearance && appearance.kid === null ? Date.parse(appearance.at) : Number.NaN;
  if (!Number.isNaN(unnamedAt) && (!attested || attested.at <= unnamedAt)) {
    if (setting.mode === 'pasted') {
      return { state: 'not_ready', reason: 'No IdP admin has confirmed the next key that appeared last.' };
    }
    return readiness({ setting, nextKid: 'the next key', appearance, now });
  }
  if (!latest) {
    return { state: 'not_ready', reason: 'Keyshift’s records do not name the connection’s next key yet.' };
  }
  return readiness({ setting, nextKid: latest.kid, appearance, now });
}
