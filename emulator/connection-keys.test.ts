import { createHash, createPublicKey } from 'node:crypto';
import { Management } from 'auth0';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HAS_OPENSSL, openssl } from '@/lib/testing/openssl';
import { SEED_CONNECTIONS } from './seed';
import { type RunningEmulator, startEmulator } from './server';
import { SIGNING_ALGS, type SigningAlg } from './tenant';
import { call, calls, fetchToken, managementClient } from './test-support';
import { x509 } from './x509';

let emulator: RunningEmulator;
let token: string;
beforeAll(async () => {
  emulator = await startEmulator();
  token = await fetchToken(emulator.url);
});
afterAll(() => emulator.close());

interface ApiKey {
  kid: string;
  cert: string;
  pkcs: string;
  fingerprint: string;
  thumbprint: string;
  algorithm: string;
  key_use: string;
  subject_dn: string;
  current?: boolean;
  next?: boolean;
  previous?: boolean;
  current_since?: string;
}

const keysOf = async (id: string) =>
  (await call(emulator.url, 'GET', `/api/v2/connections/${id}/keys`, { token })).body as ApiKey[];
const jwksOf = async (name: string) =>
  (
    (await call(emulator.url, 'GET', `/oauth/connection/${name}/.well-known/jwks.json`)).body as {
      keys: Array<Record<string, unknown>>;
    }
  ).keys;
const role = (keys: ApiKey[], flag: 'current' | 'next' | 'previous') => keys.find((key) => key[flag])?.kid;

/** What each algorithm must produce: key details (node:crypto) and what openssl prints for the certificate. */
const EXPECTED: Record<SigningAlg, { key: Record<string, unknown>; openssl: string[] }> = {
  RS256: { key: { modulusLength: 2048 }, openssl: ['sha256WithRSAEncryption', 'Public-Key: (2048 bit)'] },
  RS384: { key: { modulusLength: 2048 }, openssl: ['sha384WithRSAEncryption', 'Public-Key: (2048 bit)'] },
  RS512: { key: { modulusLength: 2048 }, openssl: ['sha512WithRSAEncryption', 'Public-Key: (2048 bit)'] },
  PS256: { key: { modulusLength: 2048 }, openssl: ['rsassaPss', 'Hash Algorithm: sha256', 'Public-Key: (2048 bit)'] },
  PS384: { key: { modulusLength: 2048 }, openssl: ['rsassaPss', 'Hash Algorithm: sha384', 'Public-Key: (2048 bit)'] },
  ES256: { key: { namedCurve: 'prime256v1' }, openssl: ['ecdsa-with-SHA256', 'ASN1 OID: prime256v1'] },
  ES384: { key: { namedCurve: 'secp384r1' }, openssl: ['ecdsa-with-SHA384', 'ASN1 OID: secp384r1'] },
};

const pemBody = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s/g, '');

describe('rotate with each signing algorithm', () => {
  const { id, name } = SEED_CONNECTIONS.oidcHooli;

  test.each(SIGNING_ALGS)('%s: a real certificate that matches every field Auth0 returns', async (alg) => {
    const sdk = managementClient(emulator.url);
    const rotated = await sdk.connections.keys.rotate(id, { signing_alg: alg }, { maxRetries: 0 });
    expect(rotated).toMatchObject({ next: true, algorithm: alg, key_use: 'signing', subject_dn: `CN=${name}` });
    expect(rotated).not.toHaveProperty('current');
    expect(rotated).not.toHaveProperty('previous');
    expect(rotated.cert).toMatch(/^-----BEGIN CERTIFICATE-----\r\n[\s\S]+\r\n-----END CERTIFICATE-----$/);

    const cert = new x509.X509Certificate(rotated.cert);
    const der = Buffer.from(cert.rawData);
    const sha1 = createHash('sha1').update(der).digest('hex').toUpperCase();
    expect(rotated.thumbprint).toBe(sha1);
    expect(rotated.fingerprint).toBe(sha1.match(/../g)?.join(':'));
    expect(cert.subject).toBe(`CN=${name}`);
    expect(await cert.verify({ signatureOnly: true })).toBe(true);
    expect(cert.notAfter.getTime() - cert.notBefore.getTime()).toBe(365 * 86_400_000);

    const bundle = new x509.X509Certificates(rotated.pkcs ?? '');
    expect(rotated.pkcs).toMatch(/^-----BEGIN PKCS7-----\r\n/);
    expect(bundle).toHaveLength(1);
    expect(bundle[0]?.equal(cert)).toBe(true);

    const spki = createPublicKey({ key: Buffer.from(cert.publicKey.rawData), format: 'der', type: 'spki' });
    expect(spki.asymmetricKeyDetails).toMatchObject(EXPECTED[alg].key);

    const jwk = (await jwksOf(name)).find((key) => key.kid === rotated.kid);
    expect(jwk).toMatchObject({
      alg,
      use: 'sig',
      x5c: [der.toString('base64')],
      x5t: createHash('sha1').update(der).digest('base64url'),
    });
    expect(createPublicKey({ key: jwk as never, format: 'jwk' }).export({ format: 'der', type: 'spki' })).toEqual(
      spki.export({ format: 'der', type: 'spki' }),
    );

    if (!HAS_OPENSSL) return;
    const text = openssl(['x509', '-noout', '-text'], rotated.cert);
    for (const expected of [...EXPECTED[alg].openssl, `Subject: CN = ${name}`]) expect(text).toContain(expected);
    // openssl 3 prints `sha1 Fingerprint=…`, 1.1 `SHA1 Fingerprint=…`.
    expect(openssl(['x509', '-noout', '-fingerprint', '-sha1'], rotated.cert).trim().split('=')[1]).toBe(
      rotated.fingerprint,
    );
    const printed = openssl(['pkcs7', '-print_certs'], rotated.pkcs ?? '');
    expect(pemBody(printed.slice(printed.indexOf('-----BEGIN')))).toBe(pemBody(rotated.cert));
  });
});

describe('key lifecycle', () => {
  test('three rotations move previous/current/next as specified, and the JWKS follows', async () => {
    const { id, name } = SEED_CONNECTIONS.oktaStark;
    const sdk = managementClient(emulator.url);
    let keys = await keysOf(id);
    expect(keys.map((key) => [key.current, key.next, key.previous])).toEqual([
      [true, undefined, undefined],
      [undefined, true, undefined],
    ]);
    const before = await calls(emulator.url);
    for (let round = 1; round <= 3; round++) {
      const [oldCurrent, oldNext] = [role(keys, 'current'), role(keys, 'next')];
      const sinceBefore = Date.now();
      const rotated = await sdk.connections.keys.rotate(id, {}, { maxRetries: 0 });
      keys = await keysOf(id);
      expect({ previous: role(keys, 'previous'), current: role(keys, 'current'), next: role(keys, 'next') }).toEqual({
        previous: oldCurrent,
        current: oldNext,
        next: rotated.kid,
      });
      expect(keys).toHaveLength(3);
      const current = keys.find((key) => key.current);
      expect(Date.parse(current?.current_since ?? '')).toBeGreaterThanOrEqual(sinceBefore - 1000);
      expect(keys.find((key) => key.next)).not.toHaveProperty('current_since');
      expect((await jwksOf(name)).map((jwk) => jwk.kid)).toEqual([oldNext, rotated.kid, oldCurrent]);
    }
    expect((await calls(emulator.url)).rotations[id]).toBe((before.rotations[id] ?? 0) + 3);
  });

  test('seeded algorithms: ES256 and PS256 connections start with keys of their algorithm', async () => {
    for (const seed of [SEED_CONNECTIONS.oktaInitech, SEED_CONNECTIONS.oidcUmbrella]) {
      expect((await keysOf(seed.id)).map((key) => key.algorithm)).toEqual([seed.keys, seed.keys]);
    }
  });

  test('provisioning creates current and next once; a second attempt is 409', async () => {
    const { id, name } = SEED_CONNECTIONS.oktaWayne;
    expect(await keysOf(id)).toEqual([]);
    expect(await jwksOf(name)).toEqual([]);
    const sdk = managementClient(emulator.url);
    const created = await sdk.connections.keys.create(id, { signing_alg: 'ES384' });
    expect(created.map((key) => [key.current, key.next, key.algorithm])).toEqual([
      [true, undefined, 'ES384'],
      [undefined, true, 'ES384'],
    ]);
    expect((await keysOf(id)).map((key) => key.kid)).toEqual(created.map((key) => key.kid));
    const again = await sdk.connections.keys.create(id, {}).catch((error: unknown) => error);
    expect(again).toBeInstanceOf(Management.ConflictError);
    expect((again as Management.ConflictError).body).toMatchObject({
      message: 'Keys have already been created for this connection.',
    });
  });

  test('concurrent rotations of one connection are applied one after the other', async () => {
    const { id } = SEED_CONNECTIONS.oidcGlobex;
    const startNext = role(await keysOf(id), 'next');
    const sdk = managementClient(emulator.url);
    const results = await Promise.all([1, 2].map(() => sdk.connections.keys.rotate(id, {}, { maxRetries: 0 })));
    const keys = await keysOf(id);
    expect(role(keys, 'previous')).toBe(startNext);
    expect(new Set([role(keys, 'current'), role(keys, 'next')])).toEqual(new Set(results.map((key) => key.kid)));
  });
});
