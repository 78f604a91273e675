import { createHash, X509Certificate } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest';
import type { LogEvent } from './logs';
import { SEED_CLIENTS, SEED_CONNECTIONS, SIGN_IN_APP } from './seed';
import { buildTenantConnections } from './seed-connections';
import { type RunningEmulator, startEmulator } from './server';
import { TENANT_DOMAIN, tenantIdentity } from './tenant';
import { extraTenantClients, extraTenantSeed, PRIMARY_SEED, SHARED_CONNECTION_NAMES } from './tenant-seed';
import { call, calls, emulatorControl, fetchToken, managementClient } from './test-support';

const DEV = 'dev-tenant.local';
const DEV_CLIENTS = extraTenantClients(DEV);
const dev = tenantIdentity(DEV);
const prod = tenantIdentity(TENANT_DOMAIN);

interface Tenant {
  domain: string;
  emulator: RunningEmulator;
  token: string;
  /** The connection named okta-acme in this tenant (both have one, with different ids). */
  acmeId: string;
}

/** Both tenants in this process, each on its own port, as main.ts starts them. */
async function startBoth(options: Parameters<typeof startEmulator>[0] = {}) {
  const prodEmulator = await startEmulator(options);
  const devEmulator = await startEmulator({ ...options, domain: DEV });
  const acmeInDev = extraTenantSeed(DEV).connections.find((seed) => seed.name === 'okta-acme');
  return {
    prod: {
      domain: TENANT_DOMAIN,
      emulator: prodEmulator,
      token: await fetchToken(prodEmulator.url),
      acmeId: SEED_CONNECTIONS.oktaAcme.id,
    },
    dev: {
      domain: DEV,
      emulator: devEmulator,
      token: await fetchToken(devEmulator.url, DEV_CLIENTS.m2m, DEV),
      acmeId: acmeInDev?.id ?? '',
    },
    close: async () => {
      await Promise.all([prodEmulator.close(), devEmulator.close()]);
    },
  };
}

const get = <T>(tenant: Tenant, path: string) =>
  call(tenant.emulator.url, 'GET', path, { token: tenant.token }).then((response) => response.body as T);
const kids = async (tenant: Tenant, id: string) =>
  (await get<Array<{ kid: string }>>(tenant, `/api/v2/connections/${id}/keys`)).map((key) => key.kid);

let both: Awaited<ReturnType<typeof startBoth>>;
beforeAll(async () => {
  both = await startBoth();
});
afterAll(() => both.close());

describe('two tenants in one process', () => {
  test('each lists only its own connections; some names are in both, no id is', async () => {
    const listed = async (tenant: Tenant) =>
      (await get<Array<{ id: string; name: string }>>(tenant, '/api/v2/connections?per_page=100&page=0')).map(
        ({ id, name }) => ({ id, name }),
      );
    const inProd = await listed(both.prod);
    const inDev = await listed(both.dev);
    expect(inProd.map((connection) => connection.id)).toEqual(Object.values(SEED_CONNECTIONS).map((seed) => seed.id));
    expect(inDev.map((connection) => connection.id)).toEqual(extraTenantSeed(DEV).connections.map((seed) => seed.id));
    const prodIds = new Set(inProd.map((connection) => connection.id));
    expect(inDev.filter((connection) => prodIds.has(connection.id))).toEqual([]);
    const prodNames = new Set(inProd.map((connection) => connection.name));
    expect(inDev.filter((connection) => prodNames.has(connection.name)).map((connection) => connection.name)).toEqual([
      ...SHARED_CONNECTION_NAMES,
    ]);
    // A name only the other tenant has is not found here.
    expect((await call(both.prod.emulator.url, 'GET', `/idp/okta-piedpiper`)).status).toBe(404);
    expect((await call(both.dev.emulator.url, 'GET', `/idp/okta-wayne`)).status).toBe(404);
  });

  test('a rotation in one tenant changes nothing in the other: keys and admin counters', async () => {
    await Promise.all([
      emulatorControl(both.prod.emulator.url, 'DELETE', '/calls'),
      emulatorControl(both.dev.emulator.url, 'DELETE', '/calls'),
    ]);
    const before = { prod: await kids(both.prod, both.prod.acmeId), dev: await kids(both.dev, both.dev.acmeId) };
    expect(before.dev).not.toEqual(before.prod);

    const sdk = managementClient(both.dev.emulator.url, DEV_CLIENTS.m2m, { domain: DEV });
    await sdk.connections.keys.rotate(both.dev.acmeId, {}, { maxRetries: 0 });

    const after = { prod: await kids(both.prod, both.prod.acmeId), dev: await kids(both.dev, both.dev.acmeId) };
    expect(after.prod).toEqual(before.prod);
    expect(after.dev[0]).toBe(before.dev[1]);
    const rotate = 'POST /api/v2/connections/{id}/keys/rotate';
    expect(await calls(both.dev.emulator.url)).toMatchObject({ [rotate]: 1, rotations: { [both.dev.acmeId]: 1 } });
    const prodCalls = await calls(both.prod.emulator.url);
    expect(prodCalls[rotate]).toBeUndefined();
    expect(prodCalls.rotations).toEqual({});
    expect(prodCalls['GET /api/v2/connections/{id}/keys']).toBe(2);
  });

  test.each([
    ['dev credentials at production', 'prod', DEV_CLIENTS.m2m],
    ['production credentials at dev', 'dev', SEED_CLIENTS.m2m],
    ['production read-only credentials at dev', 'dev', SEED_CLIENTS.readonly],
  ] as const)('%s: 401 access_denied from /oauth/token', async (_case, at, client) => {
    const response = await call(both[at].emulator.url, 'POST', '/oauth/token', {
      body: {
        grant_type: 'client_credentials',
        client_id: client.client_id,
        client_secret: client.client_secret,
        audience: tenantIdentity(both[at].domain).managementAudience,
      },
    });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: 'access_denied', error_description: 'Unauthorized' });
  });

  test.each([
    ['a dev token at production', 'dev', 'prod'],
    ['a production token at dev', 'prod', 'dev'],
  ] as const)('%s: 401 from the Management API', async (_case, from, at) => {
    const response = await call(both[at].emulator.url, 'GET', '/api/v2/connections', { token: both[from].token });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  });

  test("the other tenant's audience is refused, as Auth0 refuses an API it does not host", async () => {
    const response = await call(both.dev.emulator.url, 'POST', '/oauth/token', {
      body: {
        grant_type: 'client_credentials',
        client_id: DEV_CLIENTS.m2m.client_id,
        client_secret: DEV_CLIENTS.m2m.client_secret,
        audience: prod.managementAudience,
      },
    });
    expect(response.status).toBe(403);
    expect(response.body).toEqual({
      error: 'access_denied',
      error_description: `Service not enabled within domain: ${prod.managementAudience}`,
    });
  });

  test("tokens name their tenant's issuer and audience and verify only against its JWKS", async () => {
    const claims = decodeJwt(both.dev.token);
    expect(claims).toMatchObject({ iss: dev.issuer, aud: dev.managementAudience, azp: DEV_CLIENTS.m2m.client_id });
    expect(decodeJwt(both.prod.token)).toMatchObject({ iss: prod.issuer, aud: prod.managementAudience });
    const jwks = (tenant: Tenant) => createRemoteJWKSet(new URL(`${tenant.emulator.url}/.well-known/jwks.json`));
    await expect(jwtVerify(both.dev.token, jwks(both.dev), { issuer: dev.issuer })).resolves.toBeTruthy();
    await expect(jwtVerify(both.dev.token, jwks(both.prod))).rejects.toThrow();
    // The signing key's certificate names the tenant's domain.
    for (const tenant of [both.prod, both.dev]) {
      const { keys } = await get<{ keys: Array<{ x5c: string[] }> }>(tenant, '/.well-known/jwks.json');
      const cert = new X509Certificate(Buffer.from(keys[0]?.x5c[0] ?? '', 'base64'));
      expect(cert.subject).toBe(`CN=${tenant.domain}`);
    }
  });

  test("the IdP console names its tenant's JWKS URL; the admin state its domain", async () => {
    for (const tenant of [both.prod, both.dev]) {
      const page = (await call(tenant.emulator.url, 'GET', '/idp/okta-acme')).text;
      expect(page).toContain(`https://${tenant.domain}/oauth/connection/okta-acme/.well-known/jwks.json`);
      expect(await emulatorControl(tenant.emulator.url, 'GET', '/state')).toMatchObject({ domain: tenant.domain });
    }
  });

  test("the dev tenant's seeded IdPs: oidc-globex pasted with its current key, okta-piedpiper pasted and empty", async () => {
    const globex = extraTenantSeed(DEV).connections.find((seed) => seed.name === 'oidc-globex')?.id ?? '';
    const current = (await get<Array<{ kid: string; current?: true }>>(both.dev, `/api/v2/connections/${globex}/keys`))
      .filter((key) => key.current)
      .map((key) => key.kid);
    expect(current).toHaveLength(1);
    const idp = await emulatorControl(both.dev.emulator.url, 'GET', '/idps/oidc-globex');
    expect(idp).toMatchObject({ connection_id: globex, mode: 'pasted' });
    expect(((idp?.trusted_keys ?? []) as Array<{ kid: string }>).map((key) => key.kid)).toEqual(current);
    expect(await emulatorControl(both.dev.emulator.url, 'GET', '/idps/okta-piedpiper')).toMatchObject({
      mode: 'pasted',
      trusted_keys: [],
    });
    const signIn = await emulatorControl(both.dev.emulator.url, 'POST', '/idps/oidc-globex/sign-ins', { count: 1 });
    expect(signIn?.events).toMatchObject([{ type: 's' }]);
  });

  test('each tenant logs its own operations and sign-ins only', async () => {
    for (const tenant of [both.prod, both.dev]) await emulatorControl(tenant.emulator.url, 'POST', '/reset');
    const wayne = SEED_CONNECTIONS.oktaWayne.id;
    const post = (tenant: Tenant, path: string) => call(tenant.emulator.url, 'POST', path, { token: tenant.token });
    expect((await post(both.prod, `/api/v2/connections/${wayne}/keys`)).status).toBe(201);
    expect((await post(both.dev, `/api/v2/connections/${both.dev.acmeId}/keys/rotate`)).status).toBe(201);
    for (const tenant of [both.prod, both.dev]) {
      const signIns = await emulatorControl(tenant.emulator.url, 'POST', '/idps/okta-acme/sign-ins', { count: 2 });
      expect(signIns?.events).toHaveLength(2);
    }
    const logs = {
      prod: await get<LogEvent[]>(both.prod, '/api/v2/logs'),
      dev: await get<LogEvent[]>(both.dev, '/api/v2/logs'),
    };
    const summary = (events: LogEvent[]) =>
      events.map((event) => `${event.type} ${event.connection_id ?? event.details.request.path} ${event.client_id}`);
    expect(summary(logs.prod).sort()).toEqual(
      [
        `s ${both.prod.acmeId} ${SIGN_IN_APP.client_id}`,
        `s ${both.prod.acmeId} ${SIGN_IN_APP.client_id}`,
        `sapi /api/v2/connections/${wayne}/keys ${SEED_CLIENTS.m2m.client_id}`,
      ].sort(),
    );
    const devApp = extraTenantSeed(DEV).signInApp.client_id;
    expect(devApp).not.toBe(SIGN_IN_APP.client_id);
    expect(summary(logs.dev).sort()).toEqual(
      [
        `s ${both.dev.acmeId} ${devApp}`,
        `s ${both.dev.acmeId} ${devApp}`,
        `sapi /api/v2/connections/${both.dev.acmeId}/keys/rotate ${DEV_CLIENTS.m2m.client_id}`,
      ].sort(),
    );
    expect(new Set(logs.prod.map((event) => event.hostname))).toEqual(new Set([TENANT_DOMAIN]));
    expect(new Set(logs.dev.map((event) => event.hostname))).toEqual(new Set([DEV]));
  });
});

describe('rate limits', () => {
  test('each tenant has its own bucket: one exhausted, the other still answers 200', async () => {
    const pair = await startBoth({ rateLimit: { capacity: 3, refillPerSecond: 0.01 } });
    onTestFinished(() => pair.close());
    const list = (tenant: Tenant) => call(tenant.emulator.url, 'GET', '/api/v2/connections', { token: tenant.token });
    const devStatuses = [];
    for (let i = 0; i < 4; i++) devStatuses.push((await list(pair.dev)).status);
    expect(devStatuses).toEqual([200, 200, 200, 429]);
    const prodAnswer = await list(pair.prod);
    expect(prodAnswer.status).toBe(200);
    expect(prodAnswer.headers.get('x-ratelimit-remaining')).toBe('2');
    expect((await calls(pair.dev.emulator.url)).rate_limited).toBe(1);
    expect((await calls(pair.prod.emulator.url)).rate_limited).toBe(0);
  });
});

describe('seeds', () => {
  test("the primary tenant's seed is what it was before tenants could be added", () => {
    // Digest of the connections (demo seed + 200 generated) as the single-tenant emulator built them.
    const text = JSON.stringify(buildTenantConnections(PRIMARY_SEED, 200));
    expect(createHash('sha256').update(text).digest('hex')).toBe(
      '195cdda1f3018333d28ff48053e52b2c540707c4e92ad77f0a7496d0d17e7cc9',
    );
  });

  test("an extra tenant's ids, IdP client ids and generated connections derive from its domain", () => {
    const a = buildTenantConnections(extraTenantSeed('dev-tenant.local'), 3);
    const b = buildTenantConnections(extraTenantSeed('qa-tenant.local'), 3);
    const primary = buildTenantConnections(PRIMARY_SEED, 3);
    expect(a.map(({ connection }) => connection.name)).toEqual(b.map(({ connection }) => connection.name));
    const ids = (list: typeof a) => list.map(({ connection }) => connection.id);
    expect(new Set([...ids(a), ...ids(b), ...ids(primary)]).size).toBe(a.length + b.length + primary.length);
    const acmeClient = (list: typeof a) =>
      list.find(({ connection }) => connection.name === 'okta-acme')?.connection.options.client_id;
    expect(new Set([acmeClient(a), acmeClient(b), acmeClient(primary)]).size).toBe(3);
    expect(buildTenantConnections(extraTenantSeed('dev-tenant.local'), 3)).toEqual(a);
  });

  test.each([
    ['dev-tenant.local', 'demo-dev-m2m', 'demo-dev-m2m-secret'],
    ['qa.example.com', 'demo-qa-m2m', 'demo-qa-m2m-secret'],
    ['tenant.local', 'demo-tenant-m2m', 'demo-tenant-m2m-secret'],
  ])('%s accepts %s / %s', (domain, id, secret) => {
    expect(extraTenantClients(domain).m2m).toMatchObject({ client_id: id, client_secret: secret });
  });
});
