import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningEmulator, startEmulator } from './server';
import { call, emulatorControl } from './test-support';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

const ecJwk = (kid: string) => ({
  ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }),
  kid,
});
const rsaPair = () => generateKeyPairSync('rsa', { modulusLength: 2048 });

/** Posts the console's form as a browser would (urlencoded, no redirect following). */
function postForm(path: string, fields: Record<string, string>) {
  return fetch(`${emulator.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });
}
const pageOf = async (name: string) => (await fetch(`${emulator.url}/idp/${name}`)).text();
const trustedKids = async (name: string) =>
  (
    (await emulatorControl(emulator.url, 'GET', `/idps/${name}`)) as { trusted_keys: Array<{ kid: string }> }
  ).trusted_keys.map((key) => key.kid);

describe('the IdP admin console (GET /idp/{name})', () => {
  test('paste a JWK through the form, see it listed, remove it', async () => {
    const before = await trustedKids('okta-initech');
    expect(before).toHaveLength(1); // seeded trusting its current key
    const page = await pageOf('okta-initech');
    expect(page).toContain('<label for="jwk">');
    expect(page).toContain('<button type="submit">Add key</button>');
    expect(page).toContain(before[0]);

    const jwk = { ...rsaPair().publicKey.export({ format: 'jwk' }), kid: 'pasted-by-admin', alg: 'RS256' };
    const added = await postForm('/idp/okta-initech/keys', { jwk: JSON.stringify({ keys: [jwk] }) });
    expect(added.status).toBe(303);
    expect(added.headers.get('location')).toBe('/idp/okta-initech?added=pasted-by-admin');
    const listed = await (await fetch(`${emulator.url}${added.headers.get('location')}`)).text();
    expect(listed).toContain('Key pasted-by-admin added.');
    expect(listed).toMatch(/<td><code>pasted-by-admin<\/code><\/td><td>RS256<\/td>/);
    expect(await trustedKids('okta-initech')).toEqual([...before, 'pasted-by-admin']);

    const removed = await postForm('/idp/okta-initech/keys/remove', { kid: 'pasted-by-admin' });
    expect(removed.status).toBe(303);
    expect(await pageOf('okta-initech')).not.toContain('<code>pasted-by-admin</code>');
    expect(await trustedKids('okta-initech')).toEqual(before);
  });

  test('a JWK with private parameters is refused with a clear error and nothing is added', async () => {
    const before = await trustedKids('okta-initech');
    const privateJwk = { ...rsaPair().privateKey.export({ format: 'jwk' }), kid: 'leaked' };
    const refused = await postForm('/idp/okta-initech/keys', { jwk: JSON.stringify(privateJwk) });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain('This key contains private key material (&quot;d&quot;)');
    expect(html).toContain('aria-invalid="true" aria-describedby="jwk-error"');
    expect(await trustedKids('okta-initech')).toEqual(before);
  });

  const rsa = rsaPair().publicKey.export({ format: 'jwk' });
  test.each([
    ['not JSON', '{kty:', 'not valid JSON'],
    ['no kid', JSON.stringify(rsa), '"kid" is required'],
    ['no kty', JSON.stringify({ kid: 'a', n: rsa.n, e: rsa.e }), '"kty" is required'],
    ['a symmetric key', JSON.stringify({ kty: 'oct', kid: 'a', k: 'c2VjcmV0' }), 'private key material ("k")'],
    ['a short modulus', JSON.stringify({ kty: 'RSA', kid: 'a', n: 'AQAB', e: 'AQAB' }), 'at least 2048'],
    ['a bad curve point', JSON.stringify({ ...ecJwk('a'), x: 'AAAA' }), '"x" has the wrong length'],
    ['an alg of another family', JSON.stringify({ ...rsa, kid: 'a', alg: 'ES256' }), 'does not fit a RSA key'],
    ['a JWKS with two keys', JSON.stringify({ keys: [ecJwk('a'), ecJwk('b')] }), 'exactly one key'],
  ])('%s is refused (admin API), nothing changes', async (_case, text, message) => {
    const before = await trustedKids('okta-initech');
    const response = await call(emulator.url, 'POST', '/__emulator/idps/okta-initech/keys', { body: { jwk: text } });
    expect(response.status).toBe(400);
    expect((response.body as { message: string }).message).toContain(message);
    expect(await trustedKids('okta-initech')).toEqual(before);
  });

  test('up to 50 keys, like Okta; a duplicate kid is refused', async () => {
    const paste = (jwk: unknown) => call(emulator.url, 'POST', '/__emulator/idps/oidc-hooli/keys', { body: { jwk } });
    await emulatorControl(emulator.url, 'PUT', '/idps/oidc-hooli', { mode: 'pasted' });
    for (let i = 0; i < 50; i++) expect((await paste(ecJwk(`k${i}`))).status).toBe(201);
    const full = await paste(ecJwk('k50'));
    expect(full.status).toBe(400);
    expect((full.body as { message: string }).message).toContain('50 keys, the maximum');
    expect((await call(emulator.url, 'DELETE', '/__emulator/idps/oidc-hooli/keys/k0')).status).toBe(204);
    expect(((await paste(ecJwk('k1'))).body as { message: string }).message).toContain('already trusted');
    expect(await trustedKids('oidc-hooli')).toHaveLength(49);
  });

  test('a jwks_url IdP says where it fetches keys from and does not claim to refuse everything', async () => {
    const page = await pageOf('okta-acme');
    expect(page).toContain('/oauth/connection/okta-acme/.well-known/jwks.json</code> (cached 300 s, not fetched yet)');
    expect(page).toContain('<p>No pasted keys.</p>');
  });

  test('unknown or non-key connections have no console', async () => {
    expect((await fetch(`${emulator.url}/idp/samlp-tyrell`)).status).toBe(404);
    expect((await fetch(`${emulator.url}/idp/nobody`)).status).toBe(404);
  });
});

describe('state file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyshift-idp-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('trust modes, cache times, pasted keys and rates survive a restart', async () => {
    const stateFile = join(dir, 'state.json');
    const first = await startEmulator({ stateFile });
    await emulatorControl(first.url, 'PUT', '/idps/okta-acme', { cache_seconds: 60, sign_ins_per_minute: 2 });
    await call(first.url, 'POST', '/__emulator/idps/okta-initech/keys', { body: { jwk: ecJwk('kept') } });
    const acme = await emulatorControl(first.url, 'GET', '/idps/okta-acme');
    const initech = await emulatorControl(first.url, 'GET', '/idps/okta-initech');
    await first.close();

    const second = await startEmulator({ stateFile });
    try {
      expect(await emulatorControl(second.url, 'GET', '/idps/okta-acme')).toEqual(acme);
      expect(await emulatorControl(second.url, 'GET', '/idps/okta-initech')).toEqual(initech);
      // The restored pasted IdP still trusts the seeded current key: sign-ins keep working.
      const body = await emulatorControl(second.url, 'POST', '/idps/okta-initech/sign-ins', { count: 1 });
      expect(body).toMatchObject({ events: [{ type: 's' }] });
    } finally {
      await second.close();
    }
  });
});
