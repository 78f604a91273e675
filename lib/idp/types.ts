/**
 * How a connection's identity provider learns Keyshift's keys, as the browser receives it. Client-safe: it imports
 * nothing.
 */
export const idpModes = ['jwks_url', 'pasted', 'unknown'] as const;
export type IdpMode = (typeof idpModes)[number];

export const MIN_CACHE_SECONDS = 60;
export const MAX_CACHE_SECONDS = 7 * 24 * 3600;
export const DEFAULT_CACHE_SECONDS = 24 * 3600;

/** A rotator's record that the IdP admin confirmed they trust one kid. */
export interface NextKeyAttestation {
  kid: string;
  bySub: string;
  byName: string | null;
  byEmail: string | null;
  /** ISO-8601 */
  at: string;
}

export interface IdpSetting {
  mode: IdpMode;
  cacheSeconds: number;
  attestation: NextKeyAttestation | null;
}

export const UNKNOWN_IDP: IdpSetting = { mode: 'unknown', cacheSeconds: DEFAULT_CACHE_SECONDS, attestation: null };

/**
 * When the connection's next key appeared, from Keyshift's own trail: the kid the event introduced (null when the
 * event did not name it) and the time. Null when the trail has no such event.
 */
export interface NextKeyAppearance {
  kid: string | null;
  /** ISO-8601 */
  at: string;
}

export interface IdpStatus {
  setting: IdpSetting;
  appearance: NextKeyAppearance | null;
}
