import { generateKey, type KeyMaterial, type PublicJwk } from './key-material';
import type { SigningAlg } from './tenant';

export interface StoredKey extends KeyMaterial {
  /** When the key became current; kept once it is previous, as the record of its tenure. */
  current_since?: string;
}

/** A connection's keys: always a current and a next once provisioned; previous after the first rotation. */
export interface KeyRing {
  current: StoredKey;
  next: StoredKey;
  previous?: StoredKey;
}

type Role = 'current' | 'next' | 'previous';

/**
 * A key as `GET /api/v2/connections/{id}/keys` returns it. Only the flag that is true is present (a key
 * is exactly one of current/next/previous), matching the RotateResponse example, which carries only
 * `next: true`. `current_since` appears on the current key and stays on the previous one.
 */
export function connectionKeyView(key: StoredKey, role: Role) {
  return {
    kid: key.kid,
    cert: key.cert,
    pkcs: key.pkcs,
    [role]: true,
    ...(key.current_since && role !== 'next' ? { current_since: key.current_since } : {}),
    fingerprint: key.fingerprint,
    thumbprint: key.thumbprint,
    algorithm: key.algorithm,
    key_use: 'signing' as const,
    subject_dn: key.subject_dn,
  };
}

/** Listing order: current, next, previous. */
export function connectionKeysView(ring: KeyRing | undefined) {
  if (!ring) return [];
  const keys = [connectionKeyView(ring.current, 'current'), connectionKeyView(ring.next, 'next')];
  if (ring.previous) keys.push(connectionKeyView(ring.previous, 'previous'));
  return keys;
}

/** RotateResponse: the newly generated next key, without current/previous/current_since. */
export function rotateResponseView(key: StoredKey) {
  return {
    kid: key.kid,
    cert: key.cert,
    pkcs: key.pkcs,
    next: true,
    fingerprint: key.fingerprint,
    thumbprint: key.thumbprint,
    algorithm: key.algorithm,
    key_use: 'signing' as const,
    subject_dn: key.subject_dn,
  };
}

/** The connection's published JWKS: current, next, and previous until the next rotation replaces it. */
export function ringJwks(ring: KeyRing | undefined): { keys: PublicJwk[] } {
  if (!ring) return { keys: [] };
  return { keys: [ring.current, ring.next, ...(ring.previous ? [ring.previous] : [])].map((key) => key.jwk) };
}

async function newKey(alg: SigningAlg, connectionName: string, from?: Date): Promise<StoredKey> {
  return (await generateKey(alg, connectionName, from)).material;
}

/** Provisioning creates both the current and the next key with the requested algorithm. */
export async function provisionRing(connectionName: string, alg: SigningAlg, now = new Date()): Promise<KeyRing> {
  const [current, next] = await Promise.all([newKey(alg, connectionName, now), newKey(alg, connectionName, now)]);
  return { current: { ...current, current_since: now.toISOString() }, next };
}

/**
 * The current key is revoked and becomes previous (the old previous is gone), next becomes current, and a
 * new next key is generated. `signing_alg` applies to that new key only: which key Auth0 applies it to is
 * *unconfirmed* (AUTH0_API.md), this is the documented assumption.
 */
export async function rotateRing(ring: KeyRing, connectionName: string, alg: SigningAlg, now = new Date()) {
  const created = await newKey(alg, connectionName);
  const rotated: KeyRing = {
    previous: ring.current,
    current: { ...ring.next, current_since: now.toISOString() },
    next: created,
  };
  return { ring: rotated, created };
}
