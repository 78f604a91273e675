import type { JWK } from 'jose';

/** How the simulated IdP behind a connection learns Auth0's keys (AUTH0_API.md, "How the upstream IdP learns…"). */
export type TrustMode = 'jwks_url' | 'pasted';

export const DEFAULT_CACHE_SECONDS = 300;
/** Keycloak refetches on an unknown kid at most this often. */
export const DEFAULT_UNKNOWN_KID_REFETCH_SECONDS = 10;
/** Okta's limit on keys pasted into one app. */
export const MAX_PASTED_KEYS = 50;

export interface PastedKey {
  jwk: JWK & { kid: string; kty: string };
  /** RFC 7638 thumbprint of the public key, what a signature check effectively compares. */
  thumbprint: string;
  added_at: string;
}

export interface UpstreamIdp {
  mode: TrustMode;
  cacheSeconds: number;
  /** `null`: never refetch early on an unknown kid (only when the cache expires). */
  unknownKidRefetchSeconds: number | null;
  /** Its cached copy of the connection JWKS (`jwks_url`): kid → thumbprint, and when it was fetched (ms). */
  cache?: { fetchedAt: number; keys: Record<string, string> };
  pasted: PastedKey[];
  /** Simulated sign-ins per minute; 0 = none. */
  signInsPerMinute: number;
}

export function newIdp(mode: TrustMode, init: Partial<UpstreamIdp> = {}): UpstreamIdp {
  return {
    mode,
    cacheSeconds: DEFAULT_CACHE_SECONDS,
    unknownKidRefetchSeconds: DEFAULT_UNKNOWN_KID_REFETCH_SECONDS,
    pasted: [],
    signInsPerMinute: 0,
    ...init,
  };
}

export type Verdict = { trusted: true } | { trusted: false; reason: 'unknown_kid' | 'bad_signature' };

/**
 * Whether the IdP accepts a client assertion signed by the key `kid` (public key thumbprint `thumbprint`).
 * `jwks_url`: uses its cache while fresh; fetches when it is older than the cache time, and on an unknown kid
 * once the last fetch is at least `unknownKidRefetchSeconds` old. Mutates `idp.cache`.
 */
export function judgeAssertion(
  idp: UpstreamIdp,
  key: { kid: string; thumbprint: string },
  now: number,
  fetchJwks: () => Record<string, string>,
): Verdict {
  if (idp.mode === 'pasted') {
    const pasted = idp.pasted.find((candidate) => candidate.jwk.kid === key.kid);
    if (!pasted) return { trusted: false, reason: 'unknown_kid' };
    return pasted.thumbprint === key.thumbprint ? { trusted: true } : { trusted: false, reason: 'bad_signature' };
  }
  const fetch = () => {
    idp.cache = { fetchedAt: now, keys: fetchJwks() };
    return idp.cache;
  };
  let cache = idp.cache;
  if (!cache || now - cache.fetchedAt >= idp.cacheSeconds * 1000) cache = fetch();
  if (!(key.kid in cache.keys)) {
    const refetch = idp.unknownKidRefetchSeconds;
    if (refetch !== null && now - cache.fetchedAt >= refetch * 1000) cache = fetch();
  }
  const known = cache.keys[key.kid];
  if (known === undefined) return { trusted: false, reason: 'unknown_kid' };
  return known === key.thumbprint ? { trusted: true } : { trusted: false, reason: 'bad_signature' };
}

/** Okta's wording for a client assertion it cannot verify. */
export const ASSERTION_ERRORS = {
  unknown_kid: 'The client_assertion JWT kid is invalid',
  bad_signature: 'The client_assertion signature is invalid',
} as const;
