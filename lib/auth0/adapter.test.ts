import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { SEED_CONNECTIONS } from '@/emulator/seed';
import { type RunningEmulator, startEmulator } from '@/emulator/server';
import { emulatorControl } from '@/emulator/test-support';
import { inConfiguredTenant } from '@/lib/testing/tenants';

// The adapter reads its configuration once per process; this file (its own Vitest fork) points it at a fresh emulator.
let emulator: RunningEmulator;
let adapter: typeof import('./connections');

const admin = (method: string, path: string, body?: unknown) => emulatorControl(emulator.url, method, path, body);

const ROTATE = 'POST /api/v2/connections/{id}/keys/rotate';
const acme = Object.values(SEED_CONNECTIONS).find((seed) => seed.name === 'okta-acme');
const acmeId = acme?.id ?? '';

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  process.env.KEYSHIFT_DEMO = '1';
  process.env.AUTH0_API_ORIGIN = emulator.url;
  adapter = await inConfiguredTenant(import('./connections'));
});
afterAll(() => emulator.close());
beforeEach(() => admin('POST', '/reset'));

describe('lib/auth0 against the emulator', () => {
  test('lists every connection through checkpoint pagination, and only key-capable strategies when asked', async () => {
    const all = await adapter.listConnections();
    expect(all).toHaveLength(Object.keys(SEED_CONNECTIONS).length);
    const capable = await adapter.listConnections({ keyCapableOnly: true });
    expect(new Set(capable.map((connection) => connection.strategy))).toEqual(new Set(['okta', 'oidc']));
    expect(all.find((connection) => connection.id === acmeId)).toMatchObject({ name: 'okta-acme', keyCapable: true });
  });

  test('rotates once and returns our own shape, never the SDK’s', async () => {
    const key = await adapter.rotateConnectionKeys(acmeId, 'ES256');
    expect(Object.keys(key).sort()).toEqual([
      'algorithm',
      'cert',
      'fingerprint',
      'keyUse',
      'kid',
      'next',
      'pkcs',
      'subjectDn',
      'thumbprint',
    ]);
    expect(key).toMatchObject({ algorithm: 'ES256', next: true, keyUse: 'signing' });
  });

  test.each([
    ['503', { kind: 'status', status: 503 }, 'auth0:upstream'],
    ['500 after rotating', { kind: 'rotate-then-500' }, 'auth0:upstream'],
    ['a dropped connection', { kind: 'drop' }, 'auth0:unreachable'],
    ['malformed JSON', { kind: 'malformed-json' }, 'auth0:upstream'],
    ['429', { kind: 'status', status: 429 }, 'auth0:rate_limited'],
  ])('a rotate that meets %s fails as %s and is sent exactly once', async (_label, fault, code) => {
    await admin('POST', '/faults', { route: ROTATE, ...fault });
    await admin('DELETE', '/calls');
    await expect(adapter.rotateConnectionKeys(acmeId, 'RS256')).rejects.toMatchObject({ code });
    const calls = (await admin('GET', '/calls')) as Record<string, number>;
    expect(calls[ROTATE]).toBe(1);
  });

  test('reads ride out one 503 with the SDK’s retry', async () => {
    await admin('POST', '/faults', { route: 'GET /api/v2/connections/{id}/keys', kind: 'status', status: 503 });
    await expect(adapter.listConnectionKeys(acmeId)).resolves.toHaveLength(2);
  });

  test('a revoked Management token is replaced and the call repeated', async () => {
    await adapter.listConnectionKeys(acmeId);
    await admin('POST', '/faults', { kind: 'expire-tokens' });
    await admin('DELETE', '/calls');
    await expect(adapter.listConnectionKeys(acmeId)).resolves.toHaveLength(2);
    const calls = (await admin('GET', '/calls')) as Record<string, number>;
    expect(calls['POST /oauth/token']).toBe(1);
  });

  test.each([
    ['503', { kind: 'status', status: 503, count: 3 }],
    ['a dropped connection', { kind: 'drop', count: 3 }],
    ['a cut-off body', { kind: 'malformed-json', count: 3 }],
  ])('a token endpoint failing with %s fails the rotation clearly, sending no rotate', async (_label, fault) => {
    await adapter.listConnectionKeys(acmeId);
    await admin('POST', '/faults', { kind: 'expire-tokens' });
    await admin('POST', '/faults', { route: 'POST /oauth/token', ...fault });
    await admin('DELETE', '/calls');
    const failure = adapter.rotateConnectionKeys(acmeId, 'RS256');
    await expect(failure).rejects.toMatchObject({
      code: 'auth0:token_unavailable',
      message: expect.stringMatching(/^Keyshift could not get a Management API token from Auth0/),
      details: { ambiguous: false },
    });
    const calls = (await admin('GET', '/calls')) as Record<string, unknown>;
    expect(calls.rotations).toEqual({});
    // The 401 from the revoked token, then one fresh token request that failed: the rotate was not repeated.
    expect(calls[ROTATE]).toBe(1);
    await admin('DELETE', '/faults');
    await expect(adapter.listConnectionKeys(acmeId)).resolves.toHaveLength(2);
  });

  test.each([
    ['an unknown connection', () => adapter.getConnection('con_0000000000000000'), 'auth0:not_found'],
    [
      'rotating a SAML connection',
      () => adapter.rotateConnectionKeys('con_Ww3kF9mYa6RtP2hJ', 'RS256'),
      'auth0:bad_request',
    ],
    ['provisioning twice', () => adapter.provisionConnectionKeys(acmeId), 'auth0:conflict'],
  ])('%s → %s', async (_label, run, code) => {
    await expect(run()).rejects.toMatchObject({ code });
  });
});
