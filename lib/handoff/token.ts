import 'server-only';
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A hand-off link's token: `{id}.{expires}.{signature}`. The id is 128 random bits (unguessable on its own); the
 * expiry is UNIX seconds in base 36; the signature is HMAC-SHA-256 over both, under a key derived from the server's
 * session secret for this purpose only (HKDF), so a token cannot be forged or stretched without the secret and a
 * leaked hand-off key says nothing about sessions. A token whose signature fails is refused before any database read.
 */
export const HANDOFF_TOKEN_VERSION = 'v1';
const ID_BYTES = 16;
const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
const EXPIRES_PATTERN = /^[0-9a-z]{1,10}$/;
const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The HMAC key of hand-off links: HKDF-SHA-256 of the session secret, never the secret itself. */
export function handoffSigningKey(serverSecret: string): Buffer {
  if (serverSecret.length < 32) throw new Error('The hand-off signing key needs a server secret of 32+ characters');
  return Buffer.from(
    hkdfSync('sha256', serverSecret, 'keyshift', `keyshift/handoff-link/${HANDOFF_TOKEN_VERSION}`, 32),
  );
}

export function newHandoffLinkId(): string {
  return randomBytes(ID_BYTES).toString('base64url');
}

function signature(key: Buffer, id: string, expiresSeconds: string): Buffer {
  return createHmac('sha256', key).update(`${HANDOFF_TOKEN_VERSION}.${id}.${expiresSeconds}`).digest();
}

export function signHandoffToken(key: Buffer, link: { id: string; expiresAt: Date }): string {
  if (!ID_PATTERN.test(link.id)) throw new Error('A hand-off link id is 22 base64url characters');
  const expires = Math.floor(link.expiresAt.getTime() / 1000).toString(36);
  return `${link.id}.${expires}.${signature(key, link.id, expires).toString('base64url')}`;
}

/**
 * The link id and signed expiry of an authentic token, or null for anything else (malformed, tampered, signed with
 * another key). The comparison takes the same time wherever the signatures differ. Expiry is not judged here: the
 * caller compares it with the stored link and the clock, so that an expired link's open can be recorded.
 */
export function verifyHandoffToken(key: Buffer, token: string): { id: string; expiresAt: Date } | null {
  if (typeof token !== 'string' || token.length > 100) return null;
  const [id, expires, signed, ...rest] = token.split('.');
  if (rest.length > 0 || !id || !expires || !signed) return null;
  if (!ID_PATTERN.test(id) || !EXPIRES_PATTERN.test(expires) || !SIGNATURE_PATTERN.test(signed)) return null;
  const given = Buffer.from(signed, 'base64url');
  const expected = signature(key, id, expires);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  // base64url has two spellings of the last character's unused bits: only the canonical one is the token.
  if (given.toString('base64url') !== signed) return null;
  return { id, expiresAt: new Date(Number.parseInt(expires, 36) * 1000) };
}
