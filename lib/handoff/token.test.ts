import { describe, expect, test } from 'vitest';
import { handoffSigningKey, newHandoffLinkId, signHandoffToken, verifyHandoffToken } from './token';

const SECRET = 'a-server-secret-of-at-least-32-characters!';
const key = handoffSigningKey(SECRET);
const link = { id: newHandoffLinkId(), expiresAt: new Date('2030-01-02T03:04:05Z') };
const token = signHandoffToken(key, link);

/** The token with one character of part `part` (0 id, 1 expiry, 2 signature) at `index` replaced by another. */
function flipped(part: number, index: number): string {
  const parts = token.split('.');
  const text = parts[part] as string;
  const at = index < 0 ? text.length + index : index;
  const original = text[at] as string;
  const replacement = part === 1 ? (original === '1' ? '2' : '1') : original === 'A' ? 'B' : 'A';
  parts[part] = text.slice(0, at) + replacement + text.slice(at + 1);
  return parts.join('.');
}

describe('hand-off tokens', () => {
  test('a token verifies to its id and expiry (whole seconds)', () => {
    expect(token.split('.')).toHaveLength(3);
    expect(verifyHandoffToken(key, token)).toEqual(link);
  });

  test('ids are 128 random bits, base64url', () => {
    const ids = new Set(Array.from({ length: 1000 }, newHandoffLinkId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  test.each([
    ['the first character of the id', 0, 0],
    ['the last character of the id', 0, -1],
    ['the expiry', 1, 0],
    ['the last digit of the expiry', 1, -1],
    ['the first character of the signature', 2, 0],
    ['the last character of the signature', 2, -1],
  ])('a change to %s is refused', (_label, part, index) => {
    const tampered = flipped(part, index);
    expect(tampered).not.toBe(token);
    expect(verifyHandoffToken(key, tampered)).toBeNull();
  });

  test.each([
    ['empty', ''],
    ['no dots', token.replaceAll('.', '')],
    ['a part missing', token.split('.').slice(0, 2).join('.')],
    ['an extra part', `${token}.x`],
    ['a longer expiry (stretched)', token.replace(/\.([0-9a-z]+)\./, (_, e: string) => `.${e}0.`)],
    ['a signature of the wrong length', token.slice(0, -1)],
    ['padding', `${token}=`],
    ['whitespace', ` ${token}`],
    ['a very long string', `${token}${'a'.repeat(200)}`],
  ])('a malformed token (%s) is refused', (_label, value) => {
    expect(verifyHandoffToken(key, value)).toBeNull();
  });

  test('a token signed under another secret is refused', () => {
    const other = handoffSigningKey('another-server-secret-of-32-characters!!');
    expect(verifyHandoffToken(other, token)).toBeNull();
    expect(verifyHandoffToken(key, signHandoffToken(other, link))).toBeNull();
  });

  test('the signing key is derived from the secret, not the secret itself, and needs 32+ characters', () => {
    expect(key).toHaveLength(32);
    expect(key.equals(Buffer.from(SECRET).subarray(0, 32))).toBe(false);
    expect(handoffSigningKey(SECRET).equals(key)).toBe(true);
    expect(() => handoffSigningKey('short')).toThrow(/32/);
  });

  test('an expiry in the past still verifies (the caller records the expired open)', () => {
    const past = { id: newHandoffLinkId(), expiresAt: new Date('2001-01-01T00:00:00Z') };
    expect(verifyHandoffToken(key, signHandoffToken(key, past))).toEqual(past);
  });

  test('a non-canonical signature spelling (same bytes) is refused', () => {
    const [id, expires, signature] = token.split('.') as [string, string, string];
    // 43 base64url characters carry 258 bits: the last one's low 2 bits are unused.
    const last = signature.at(-1) as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const index = alphabet.indexOf(last);
    const sibling = alphabet[(index & ~3) | ((index + 1) & 3)] as string;
    expect(verifyHandoffToken(key, `${id}.${expires}.${signature.slice(0, -1)}${sibling}`)).toBeNull();
  });
});
