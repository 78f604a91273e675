import { afterAll, describe, expect, onTestFinished, test } from 'vitest';
import type { LogEvent } from './logs';
import { SEED_CONNECTIONS, SIGN_IN_APP } from './seed';
import { type EmulatorOptions, startEmulator } from './server';
import { call, emulatorControl, fetchToken } from './test-support';

const { oktaAcme, oidcGlobex, oktaInitech } = SEED_CONNECTIONS;
const INVALID_KID = 'invalid_client: The client_assertion JWT kid is invalid';
const START = Date.parse('2026-03-02T09:00:00.000Z');
const stopped: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const stop of stopped) await stop();
});

/** An emulator on a hand-stepped clock and traffic ticker. */
async function setup(options: EmulatorOptions = {}) {
  let now = START;
  let tick: (() => Promise<void>) | undefined;
  const emulator = await startEmulator({
    clock: () => now,
    ticker: (_ms, run) => {
      tick = run;
      return () => {
        tick = undefined;
      };
    },
    ...options,
  });
  onTestFinished(() => emulator.close());
  const token = await fetchToken(emulator.url);
  return {
    url: emulator.url,
    token,
    at: (seconds: number) => {
      now = START + seconds * 1000;
    },
    async ticks(count: number) {
      for (let i = 0; i < count; i++) await tick?.();
    },
    rotate: async (id: string) => {
      const response = await call(emulator.url, 'POST', `/api/v2/connections/${id}/keys/rotate`, { token, body: {} });
      expect(response.status).toBe(201);
    },
    /** One simulated sign-in now; its log event type and description. */
    signIn: async (name: string) => {
      const body = await emulatorControl(emulator.url, 'POST', `/idps/${name}/sign-ins`, { count: 1 });
      const [event] = (body as { events: Array<{ type: string; description: string }> }).events;
      return `${event?.type} ${event?.description}`;
    },
    idp: (name: string, settings?: Record<string, unknown>) =>
      emulatorControl(emulator.url, settings ? 'PUT' : 'GET', `/idps/${name}`, settings),
    currentJwk: async (name: string) => {
      const connection = Object.values(SEED_CONNECTIONS).find((seed) => seed.name === name);
      const keys = (await call(emulator.url, 'GET', `/api/v2/connections/${connection?.id}/keys`, { token }))
        .body as Array<{ kid: string; current?: boolean }>;
      const kid = keys.find((key) => key.current)?.kid;
      const jwks = (await call(emulator.url, 'GET', `/oauth/connection/${name}/.well-known/jwks.json`)).body as {
        keys: Array<{ kid: string }>;
      };
      return jwks.keys.find((key) => key.kid === kid) as Record<string, unknown> & { kid: string };
    },
  };
}

const OK = 's Successful login';
const FAIL = `f ${INVALID_KID}`;

describe('jwks_url IdP (okta-acme)', () => {
  test('trusts a key once its cache time has passed since the key appeared, not before', async () => {
    const idp = await setup();
    expect(await idp.idp('okta-acme', { unknown_kid_refetch_seconds: null })).toMatchObject({
      mode: 'jwks_url',
      cache_seconds: 300,
    });
    idp.at(0);
    expect(await idp.signIn('okta-acme')).toBe(OK); // fetches the JWKS: current and next
    idp.at(100);
    await idp.rotate(oktaAcme.id); // the old next signs now (already cached); key C appears as next
    expect(await idp.signIn('okta-acme')).toBe(OK);
    idp.at(150);
    await idp.rotate(oktaAcme.id); // C signs now, 50 s after it appeared: the IdP's copy is from t=0
    expect(await idp.signIn('okta-acme')).toBe(FAIL);
    idp.at(299);
    expect(await idp.signIn('okta-acme')).toBe(FAIL);
    idp.at(300); // the copy fetched at t=0 expires; the new one has C (and D, which appeared at t=150)
    expect(await idp.signIn('okta-acme')).toBe(OK);
    idp.at(450); // D appeared at 150 and the cache time has passed: a rotation now breaks nothing
    await idp.rotate(oktaAcme.id);
    expect(await idp.signIn('okta-acme')).toBe(OK);
  });

  test('an unknown kid makes it refetch, at most every 10 s (Keycloak)', async () => {
    const idp = await setup();
    idp.at(0);
    expect(await idp.signIn('okta-acme')).toBe(OK);
    idp.at(1);
    await idp.rotate(oktaAcme.id);
    await idp.rotate(oktaAcme.id); // the new current key was never in the IdP's copy
    expect(await idp.signIn('okta-acme')).toBe(FAIL);
    idp.at(9);
    expect(await idp.signIn('okta-acme')).toBe(FAIL);
    idp.at(10);
    expect(await idp.signIn('okta-acme')).toBe(OK);
    expect(await idp.idp('okta-acme')).toMatchObject({
      cached_jwks: { fetched_at: new Date(START + 10_000).toISOString() },
    });
  });
});

describe('pasted IdP (oidc-globex)', () => {
  test('a rotation without pasting fails every sign-in; pasting the new current key fixes them', async () => {
    const idp = await setup();
    expect(await idp.signIn('oidc-globex')).toBe(OK); // seeded trusting its current key
    await idp.rotate(oidcGlobex.id);
    for (const seconds of [0, 60, 86_400, 30 * 86_400]) {
      idp.at(seconds);
      expect(await idp.signIn('oidc-globex')).toBe(FAIL);
    }
    const jwk = await idp.currentJwk('oidc-globex');
    const pasted = await call(idp.url, 'POST', '/__emulator/idps/oidc-globex/keys', { body: { jwk } });
    expect(pasted.status).toBe(201);
    expect(await idp.signIn('oidc-globex')).toBe(OK);
  });

  test('a pasted key with the right kid but another public key fails the signature check', async () => {
    const idp = await setup();
    await idp.rotate(oidcGlobex.id);
    const { kid } = await idp.currentJwk('oidc-globex');
    const impostor = { ...(await idp.currentJwk('okta-acme')), kid };
    const pasted = await call(idp.url, 'POST', '/__emulator/idps/oidc-globex/keys', { body: { jwk: impostor } });
    expect(pasted.status).toBe(201);
    expect(await idp.signIn('oidc-globex')).toBe('f invalid_client: The client_assertion signature is invalid');
  });
});

describe('sign-in traffic', () => {
  test('off unless asked; a rate makes ticks sign in, logged as s/f with the connection, read by checkpoint', async () => {
    const idp = await setup();
    await idp.ticks(10);
    const none = (await call(idp.url, 'GET', '/api/v2/logs?take=100', { token: idp.token })).body as LogEvent[];
    expect(none).toEqual([]);

    await idp.idp('okta-initech', { sign_ins_per_minute: 30 });
    idp.at(60);
    await idp.ticks(4); // 30 a minute, a tick is one second: 2 sign-ins
    await idp.rotate(oktaInitech.id);
    await idp.ticks(2);
    const read: LogEvent[] = [];
    let from = '';
    for (;;) {
      const page = (
        await call(idp.url, 'GET', `/api/v2/logs?take=2${from ? `&from=${from}` : ''}`, { token: idp.token })
      ).body as LogEvent[];
      if (page.length === 0) break;
      read.push(...page);
      from = page.at(-1)?.log_id ?? '';
    }
    expect(read.map((event) => event.type)).toEqual(['s', 's', 'sapi', 'f']);
    expect(read[0]).toMatchObject({
      description: 'Successful login',
      connection: 'okta-initech',
      connection_id: oktaInitech.id,
      client_id: SIGN_IN_APP.client_id,
      client_name: SIGN_IN_APP.client_name,
      date: new Date(START + 60_000).toISOString(),
    });
    expect(read[3]).toMatchObject({ description: INVALID_KID, connection_id: oktaInitech.id });
    const failures = (
      await call(
        idp.url,
        'GET',
        `/api/v2/logs?q=${encodeURIComponent(`type:f AND connection_id:"${oktaInitech.id}"`)}`,
        { token: idp.token },
      )
    ).body as LogEvent[];
    expect(failures).toHaveLength(1);
  });

  test('signInRate turns traffic on for every demo connection with keys', async () => {
    const idp = await setup({ signInRate: 60 });
    await idp.ticks(1);
    const logs = (await call(idp.url, 'GET', '/api/v2/logs?take=100', { token: idp.token })).body as LogEvent[];
    expect(logs.map((event) => `${event.connection} ${event.type}`).sort()).toEqual(
      ['oidc-globex', 'oidc-hooli', 'oidc-umbrella', 'okta-acme', 'okta-initech', 'okta-stark'].map(
        (name) => `${name} s`,
      ),
    );
  });
});

describe('admin endpoints', () => {
  test('reset restores the seeded IdPs: settings, pasted keys and caches', async () => {
    const idp = await setup();
    const seeded = { acme: await idp.idp('okta-acme'), globex: await idp.idp('oidc-globex') };
    await idp.idp('okta-acme', { mode: 'pasted', cache_seconds: 5, sign_ins_per_minute: 60 });
    await call(
      idp.url,
      'DELETE',
      `/__emulator/idps/oidc-globex/keys/${(seeded.globex as { trusted_keys: Array<{ kid: string }> }).trusted_keys[0]?.kid}`,
    );
    expect(await idp.signIn('oidc-globex')).toBe(FAIL);
    expect((await call(idp.url, 'POST', '/__emulator/reset')).status).toBe(204);
    expect(await idp.idp('okta-acme')).toEqual(seeded.acme);
    expect(await idp.signIn('oidc-globex')).toBe(OK);
  });

  test.each([
    ['PUT', '/__emulator/idps/okta-acme', { mode: 'sometimes' }, 400],
    ['PUT', '/__emulator/idps/okta-acme', { cache_seconds: -1 }, 400],
    ['PUT', '/__emulator/idps/samlp-tyrell', { mode: 'pasted' }, 404],
    ['PUT', '/__emulator/idps/nobody', { mode: 'pasted' }, 404],
    ['POST', '/__emulator/idps/okta-acme/sign-ins', { count: 0 }, 400],
    ['POST', '/__emulator/idps/okta-wayne/sign-ins', { count: 1 }, 400],
    ['DELETE', '/__emulator/idps/oidc-globex/keys/no-such-kid', undefined, 404],
  ])('%s %s %j → %i, nothing changed', async (method, path, body, status) => {
    const idp = await setup();
    const before = await idp.idp('okta-acme');
    expect((await call(idp.url, method, path, { body })).status).toBe(status);
    expect(await idp.idp('okta-acme')).toEqual(before);
    const logs = (await call(idp.url, 'GET', '/api/v2/logs?take=100', { token: idp.token })).body as LogEvent[];
    expect(logs).toEqual([]);
  });
});
