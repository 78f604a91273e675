import { createPublicKey } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { MAX_PASTED_KEYS, type PastedKey } from './upstream-idp';

/** A pasted key refused, with the sentence the IdP console shows. */
export class JwkRejected extends Error {}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const PUBLIC_MEMBERS = ['kty', 'kid', 'alg', 'use', 'n', 'e', 'crv', 'x', 'y', 'x5c', 'x5t', 'x5t#S256'] as const;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const ALGS: Record<string, readonly string[]> = {
  RSA: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'],
  EC: ['ES256', 'ES384', 'ES512'],
};
const CURVE_BYTES: Record<string, number> = { 'P-256': 32, 'P-384': 48, 'P-521': 66 };

function parse(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new JwkRejected('The key is not valid JSON. Paste a JWK such as {"kty":"RSA","kid":"…","n":"…","e":"AQAB"}.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new JwkRejected('The key must be a JSON object (a JWK, or a JWKS with one key).');
  }
  const object = value as Record<string, unknown>;
  if (!('keys' in object)) return object;
  const keys = object.keys;
  if (!Array.isArray(keys) || keys.length !== 1 || typeof keys[0] !== 'object' || keys[0] === null) {
    throw new JwkRejected('A JWKS must hold exactly one key here; add keys one at a time.');
  }
  return keys[0] as Record<string, unknown>;
}

function base64url(jwk: Record<string, unknown>, member: string): string {
  const value = jwk[member];
  if (typeof value !== 'string' || !BASE64URL.test(value)) {
    throw new JwkRejected(`"${member}" is required and must be base64url.`);
  }
  return value;
}

/**
 * Validates a pasted public JWK as Okta's "Add key" would: `kty` and `kid` required, RSA (2048 bits or more) or EC,
 * public parameters well formed, private parameters refused. Returns its public members only.
 */
export async function validatePastedJwk(text: string): Promise<PastedKey['jwk']> {
  const jwk = parse(text);
  const privateMember = PRIVATE_MEMBERS.find((member) => member in jwk);
  if (privateMember) {
    throw new JwkRejected(
      `This key contains private key material ("${privateMember}"). Paste only the public key; never share a private key.`,
    );
  }
  const { kty, kid, alg, use } = jwk;
  if (kty !== 'RSA' && kty !== 'EC') throw new JwkRejected('"kty" is required and must be "RSA" or "EC".');
  if (typeof kid !== 'string' || kid.trim() === '') throw new JwkRejected('"kid" is required.');
  if (alg !== undefined && !ALGS[kty]?.includes(alg as string)) {
    throw new JwkRejected(`"alg" ${JSON.stringify(alg)} does not fit a ${kty} key.`);
  }
  if (use !== undefined && use !== 'sig') throw new JwkRejected('"use" must be "sig" for a signing key.');
  if (kty === 'RSA') {
    const bits = Buffer.from(base64url(jwk, 'n'), 'base64url').length * 8;
    base64url(jwk, 'e');
    if (bits < 2048) throw new JwkRejected(`The RSA modulus has ${bits} bits; at least 2048 are required.`);
  } else {
    const size = CURVE_BYTES[String(jwk.crv)];
    if (!size) throw new JwkRejected('"crv" must be P-256, P-384 or P-521.');
    for (const member of ['x', 'y']) {
      if (Buffer.from(base64url(jwk, member), 'base64url').length !== size) {
        throw new JwkRejected(`"${member}" has the wrong length for ${String(jwk.crv)}.`);
      }
    }
  }
  const publicJwk = Object.fromEntries(PUBLIC_MEMBERS.filter((m) => m in jwk).map((m) => [m, jwk[m]]));
  try {
    createPublicKey({ key: publicJwk as import('node:crypto').JsonWebKey, format: 'jwk' });
  } catch {
    throw new JwkRejected('The public parameters do not form a valid key.');
  }
  return publicJwk as PastedKey['jwk'];
}

/** Adds a validated key to an IdP's trusted list; refuses a duplicate kid or a 51st key. */
export async function pasteKey(pasted: PastedKey[], text: string, now: Date): Promise<PastedKey> {
  const jwk = await validatePastedJwk(text);
  if (pasted.some((key) => key.jwk.kid === jwk.kid)) {
    throw new JwkRejected(`A key with kid "${jwk.kid}" is already trusted.`);
  }
  if (pasted.length >= MAX_PASTED_KEYS) {
    throw new JwkRejected(`This app already has ${MAX_PASTED_KEYS} keys, the maximum. Remove one first.`);
  }
  const key: PastedKey = { jwk, thumbprint: await thumbprintOf(jwk), added_at: now.toISOString() };
  pasted.push(key);
  return key;
}

export function thumbprintOf(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint(jwk, 'sha256');
}
