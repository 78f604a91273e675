import { webcrypto } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { generateKey } from '../../emulator/key-material';
import type { SigningAlg } from '../../emulator/tenant';
import { HAS_OPENSSL, OPENSSL_SUITE_NOTE, openssl, opensslWorkspace } from '../testing/openssl';
import { handOff, JwkError, type PublicJwk, publicJwk } from './jwk';

const workspace = HAS_OPENSSL ? opensslWorkspace() : null;
afterAll(() => workspace?.dispose());

const hex = (base64url: string) => Buffer.from(base64url, 'base64url').toString('hex').toUpperCase();
const colonHex = (base64url: string) => hex(base64url).match(/../g)?.join(':');
const after = (output: string, key: string) =>
  output
    .split('\n')
    .find((line) => line.toLowerCase().startsWith(`${key.toLowerCase()}=`))
    ?.slice(key.length + 1)
    .trim();

/** The public key as openssl prints it: RSA modulus and exponent, or the EC point and curve. */
function opensslKey(pem: string): { modulus?: string; exponent?: string; point?: string; curve?: string } {
  const spki = openssl(['x509', '-noout', '-pubkey'], pem);
  const text = openssl(['pkey', '-pubin', '-noout', '-text'], spki);
  const modulus = after(openssl(['x509', '-noout', '-modulus'], pem).trim(), 'Modulus');
  if (modulus !== undefined && !text.includes('ASN1 OID')) {
    const exponent = /Exponent: (\d+)/.exec(text)?.[1];
    return { modulus, exponent };
  }
  const point = /pub:\s*([\s\S]*?)\n\S/.exec(text)?.[1]?.replace(/[\s:]/g, '').toUpperCase();
  return { point, curve: /NIST CURVE: (\S+)/.exec(text)?.[1] };
}

const SIGN: Record<SigningAlg, { import: RsaHashedImportParams | EcKeyImportParams; sign: Algorithm }> = {
  RS256: { import: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, sign: { name: 'RSASSA-PKCS1-v1_5' } },
  RS384: { import: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' }, sign: { name: 'RSASSA-PKCS1-v1_5' } },
  RS512: { import: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' }, sign: { name: 'RSASSA-PKCS1-v1_5' } },
  PS256: { import: { name: 'RSA-PSS', hash: 'SHA-256' }, sign: { name: 'RSA-PSS', saltLength: 32 } as RsaPssParams },
  PS384: { import: { name: 'RSA-PSS', hash: 'SHA-384' }, sign: { name: 'RSA-PSS', saltLength: 48 } as RsaPssParams },
  ES256: { import: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams },
  ES384: { import: { name: 'ECDSA', namedCurve: 'P-384' }, sign: { name: 'ECDSA', hash: 'SHA-384' } as EcdsaParams },
};

describe.skipIf(!HAS_OPENSSL)(
  `publicJwk equals the certificate's key as openssl reads it ${OPENSSL_SUITE_NOTE}`,
  () => {
    test.each(Object.keys(SIGN) as SigningAlg[])('%s', async (alg) => {
      const { material, privateKey } = await generateKey(alg, `jwk-${alg}`);
      const jwk: PublicJwk = publicJwk(material.cert, material.kid, material.algorithm);
      expect(jwk).toMatchObject({ kid: material.kid, use: 'sig', alg });

      const fromOpenssl = opensslKey(material.cert);
      if (alg.startsWith('E')) {
        expect(jwk.kty).toBe('EC');
        expect(jwk.crv).toBe(alg === 'ES256' ? 'P-256' : 'P-384');
        expect(fromOpenssl.curve).toBe(jwk.crv);
        expect(`04${hex(jwk.x ?? '')}${hex(jwk.y ?? '')}`).toBe(fromOpenssl.point);
      } else {
        expect(jwk.kty).toBe('RSA');
        expect(hex(jwk.n ?? '')).toBe(fromOpenssl.modulus);
        expect(BigInt(`0x${hex(jwk.e ?? '')}`).toString()).toBe(fromOpenssl.exponent);
      }

      // The certificate members, against openssl's DER and fingerprints.
      const pemPath = workspace?.path(`${alg}.pem`) ?? '';
      writeFileSync(pemPath, material.cert);
      workspace?.run(['x509', '-in', pemPath, '-outform', 'DER', '-out', `${pemPath}.der`]);
      expect(jwk.x5c).toEqual([readFileSync(`${pemPath}.der`).toString('base64')]);
      expect(colonHex(jwk.x5t)).toBe(
        after(openssl(['x509', '-noout', '-fingerprint', '-sha1'], material.cert), 'sha1 Fingerprint'),
      );
      expect(colonHex(jwk['x5t#S256'])).toBe(
        after(openssl(['x509', '-noout', '-fingerprint', '-sha256'], material.cert), 'sha256 Fingerprint'),
      );

      // And the key works: a signature made by the matching private key verifies under the imported JWK.
      const data = new TextEncoder().encode(`signed with ${alg}`);
      const signature = await webcrypto.subtle.sign(SIGN[alg].sign, privateKey, data);
      const imported = await webcrypto.subtle.importKey('jwk', jwk as JsonWebKey, SIGN[alg].import, false, ['verify']);
      expect(await webcrypto.subtle.verify(SIGN[alg].sign, imported, signature, data)).toBe(true);
    });
  },
);

describe('a key whose type does not fit its algorithm gets an error, never a wrong JWK', () => {
  const keys = {
    rsa: generateKey('RS256', 'rsa'),
    pss: generateKey('PS256', 'pss'),
    p256: generateKey('ES256', 'p256'),
    p384: generateKey('ES384', 'p384'),
  };
  test.each<{ key: keyof typeof keys; algorithm: string | null; message: RegExp }>([
    { key: 'p256', algorithm: 'RS256', message: /RS256 needs an RSA key; the certificate holds an EC P-256 key/ },
    { key: 'p256', algorithm: 'PS384', message: /PS384 needs an RSA key/ },
    { key: 'rsa', algorithm: 'ES256', message: /ES256 needs an EC P-256 key; the certificate holds an RSA key/ },
    { key: 'p384', algorithm: 'ES256', message: /ES256 needs an EC P-256 key; the certificate holds an EC P-384 key/ },
    { key: 'p256', algorithm: 'ES384', message: /ES384 needs an EC P-384 key/ },
    { key: 'pss', algorithm: 'ES384', message: /ES384 needs an EC P-384 key/ },
    { key: 'rsa', algorithm: 'HS256', message: /HS256 is not a signing algorithm Keyshift can hand over/ },
    { key: 'rsa', algorithm: null, message: /Auth0 did not say which algorithm/ },
  ])('$key key as $algorithm', async ({ key, algorithm, message }) => {
    const { material } = await keys[key];
    expect(() => publicJwk(material.cert, material.kid, algorithm)).toThrow(JwkError);
    expect(() => publicJwk(material.cert, material.kid, algorithm)).toThrow(message);
    expect(handOff({ ...material, algorithm })).toEqual({ ok: false, error: expect.stringMatching(message) });
  });

  test.skipIf(!HAS_OPENSSL)('an RSA key restricted to PSS in its certificate is refused, not mis-described', () => {
    const cert = workspace?.certPem('rsa-pss-key') ?? '';
    expect(handOff({ cert, kid: 'k1', algorithm: 'PS256' })).toEqual({
      ok: false,
      error: expect.stringMatching(/restricted to PSS/),
    });
  });

  test('an unreadable certificate is an error too', () => {
    expect(handOff({ cert: 'not a certificate', kid: 'k1', algorithm: 'RS256' })).toEqual({
      ok: false,
      error: 'The certificate could not be read, so Keyshift cannot derive its JWK.',
    });
  });

  test('the hand-off carries the JWK and a one-key JWKS as JSON text', async () => {
    const { material } = await keys.p256;
    const result = handOff(material);
    if (!result.ok) throw new Error(result.error);
    const jwk = JSON.parse(result.jwk);
    expect(jwk).toEqual(publicJwk(material.cert, material.kid, 'ES256'));
    expect(JSON.parse(result.jwks)).toEqual({ keys: [jwk] });
    expect(Object.keys(jwk)).toEqual(['kty', 'kid', 'use', 'alg', 'crv', 'x', 'y', 'x5c', 'x5t', 'x5t#S256']);
  });
});
