import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { SEED_CONNECTIONS } from '@/emulator/seed';
import { type RunningEmulator, startEmulator } from '@/emulator/server';
import { admin, call, fetchToken, mintToken } from '@/emulator/test-support';
import { type AuditStore, openAuditStore } from '@/lib/audit';
import { Auth0Error } from '@/lib/auth0/errors';
import { inConfiguredTenant } from '@/lib/testing/tenants';
import { type LogSyncDependencies, newLogSyncState, runLogSync } from './ingest';
import { FAILURE_RETRY_MS, MISSING_SCOPE_RETRY_MS, syncFailure } from './status';

// The adapter reads its configuration once per process; this file (its own Vitest fork) points it at a fresh emulator.
let emulator: RunningEmulator;
let store: AuditStore;
let logs: typeof import('@/lib/auth0/logs');
let connections: typeof import('@/lib/auth0/connections');

const seed = (name: string) => {
  const found = Object.values(SEED_CONNECTIONS).find((connection) => connection.name === name);
  if (!found) throw new Error(`no seed connection ${name}`);
  return found;
};
const hooli = seed('oidc-hooli');
const stark = seed('okta-stark');

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  process.env.KEYSHIFT_DEMO = '1';
  process.env.AUTH0_API_ORIGIN = emulator.url;
  logs = await inConfiguredTenant(import('@/lib/auth0/logs'));
  connections = await inConfiguredTenant(import('@/lib/auth0/connections'));
});
afterAll(async () => {
  await store?.close();
  await emulator?.close();
});
function deps(): LogSyncDependencies {
  return {
    store,
    readLogEventsAfter: logs.readLogEventsAfter,
    oldestLogEvent: logs.oldestLogEvent,
    getLogEvent: logs.getLogEvent,
    connectionName: async (id) => (await connections.getConnection(id)).name,
    tenant: 'demo-tenant.local',
    ourClientId: 'demo-m2m',
  };
}

/** A rotation as Keyshift makes it: requested recorded first, then rotate through the adapter, then the outcome. */
async function keyshiftRotation(connectionId: string, settle = true): Promise<string> {
  const requestId = crypto.randomUUID();
  const base = { requestId, tenant: 'demo-tenant.local', connectionId, actorSub: 'auth0|alice', algorithm: 'RS256' };
  await store.append({ type: 'rotation.requested', ...base });
  const key = await connections.rotateConnectionKeys(connectionId, 'RS256');
  if (settle) await store.append({ type: 'rotation.succeeded', ...base, status: 201, newKid: key.kid });
  return key.kid;
}

/** A rotation made straight against the tenant, as a script or the Auth0 Dashboard would. */
async function directRotation(connectionId: string, token: string): Promise<string> {
  const response = await call(emulator.url, 'POST', `/api/v2/connections/${connectionId}/keys/rotate`, {
    token,
    body: { signing_alg: 'ES256' },
  });
  expect(response.status).toBe(201);
  return (response.body as { kid: string }).kid;
}

const scriptToken = () =>
  mintToken(emulator.url, {
    client_id: 'demo-readonly',
    scope: 'create:connections_keys update:connections_keys',
  });

async function externals() {
  const { events } = await store.list({ filters: { types: ['rotation.external'] }, limit: 100 });
  return events;
}

describe('runLogSync against the emulator', () => {
  beforeEach(async () => {
    await store?.close();
    store = await openAuditStore({ memory: true });
    await admin(emulator.url, 'POST', '/__emulator/reset');
  });

  test('records rotations made outside Keyshift, with the log’s fields, and never Keyshift’s own', async () => {
    const ours = await keyshiftRotation(hooli.id);
    const byScript = await directRotation(hooli.id, await scriptToken());
    const withOurCredentials = await directRotation(stark.id, await fetchToken(emulator.url));
    const oursAgain = await keyshiftRotation(stark.id);

    await expect(runLogSync(deps(), newLogSyncState())).resolves.toEqual({ ingested: 2, behind: false });

    const found = await externals();
    expect(found.map((event) => event.newKid).sort()).toEqual([byScript, withOurCredentials].sort());
    expect(found.map((event) => event.newKid)).not.toContain(ours);
    expect(found.map((event) => event.newKid)).not.toContain(oursAgain);
    const script = found.find((event) => event.newKid === byScript);
    expect(script).toMatchObject({
      type: 'rotation.external',
      connectionId: hooli.id,
      connectionName: 'oidc-hooli',
      actorSub: 'demo-readonly',
      actorName: 'Keyshift read-only',
      algorithm: 'ES256',
      status: 201,
    });
    expect(script?.details).toMatchObject({
      source: 'auth0-logs',
      logId: expect.stringMatching(/^\d+$/),
      date: expect.any(String),
      clientId: 'demo-readonly',
      clientName: 'Keyshift read-only',
      madeWithKeyshiftClient: false,
    });
    expect(found.find((event) => event.newKid === withOurCredentials)?.details).toMatchObject({
      madeWithKeyshiftClient: true,
    });
  });

  test('reads each log once: again in the same process, and after a restart (from the newest ingested)', async () => {
    await directRotation(hooli.id, await scriptToken());
    const state = newLogSyncState();
    await expect(runLogSync(deps(), state)).resolves.toMatchObject({ ingested: 1 });
    await expect(runLogSync(deps(), state)).resolves.toMatchObject({ ingested: 0 });
    await expect(runLogSync(deps(), newLogSyncState())).resolves.toMatchObject({ ingested: 0 });
    await directRotation(stark.id, await scriptToken());
    await expect(runLogSync(deps(), newLogSyncState())).resolves.toMatchObject({ ingested: 1 });
    expect(await externals()).toHaveLength(2);
  });

  test('a log whose ids restarted (a reset tenant) is read from its start, without duplicating what was ingested', async () => {
    const state = newLogSyncState();
    for (let i = 0; i < 3; i += 1) await directRotation(hooli.id, await scriptToken());
    await expect(runLogSync(deps(), state)).resolves.toMatchObject({ ingested: 3 });
    await admin(emulator.url, 'POST', '/__emulator/reset');
    const after = await directRotation(stark.id, await scriptToken());
    await expect(runLogSync(deps(), state)).resolves.toMatchObject({ ingested: 1 });
    expect((await externals()).map((event) => event.newKid)).toContain(after);
    expect(await externals()).toHaveLength(4);
  });

  test('a Keyshift rotation still in progress is not mistaken for an external one', async () => {
    await keyshiftRotation(hooli.id, false);
    await expect(runLogSync(deps(), newLogSyncState())).resolves.toMatchObject({ ingested: 0 });
  });

  test('a token without read:logs fails with the scope named, which the page shows as a notice', async () => {
    const token = await mintToken(emulator.url, { client_id: 'demo-m2m', scope: 'read:connections' });
    const response = await call(emulator.url, 'GET', '/api/v2/logs?take=1&from=0', { token });
    expect(response.status).toBe(403);
    expect(response.text).toContain('read:logs');
  });
});

describe('syncFailure', () => {
  const now = new Date('2025-06-01T12:00:00Z');
  test.each<[string, unknown, string, number]>([
    [
      'missing read:logs',
      new Auth0Error('auth0:forbidden', 'lacks read:logs', { missingScopes: ['read:logs'] }),
      'missing_scope',
      MISSING_SCOPE_RETRY_MS,
    ],
    [
      'insufficient_scope without a list',
      new Auth0Error('auth0:forbidden', 'no', { errorCode: 'insufficient_scope' }),
      'missing_scope',
      MISSING_SCOPE_RETRY_MS,
    ],
    [
      'rate limited',
      new Auth0Error('auth0:rate_limited', 'slow down', { retryAt: new Date(now.getTime() + 7_000) }),
      'failed',
      7_000,
    ],
    ['unreachable', new Auth0Error('auth0:unreachable', 'gone'), 'failed', FAILURE_RETRY_MS],
    ['a bug', new TypeError('x is undefined'), 'failed', FAILURE_RETRY_MS],
  ])('%s', (_label, error, state, retryMs) => {
    const failure = syncFailure(error, now);
    expect(failure.status.state).toBe(state);
    expect(failure.retryAt.getTime() - now.getTime()).toBe(retryMs);
  });

  test('the missing-scope notice says which scope to grant', () => {
    const failure = syncFailure(new Auth0Error('auth0:forbidden', 'x', { missingScopes: ['read:logs'] }), now);
    expect(failure.status).toMatchObject({ message: expect.stringContaining('read:logs') });
  });

  test('an unexpected error is not shown to the operator', () => {
    const failure = syncFailure(new TypeError('secret internals'), now);
    expect(JSON.stringify(failure.status)).not.toContain('secret internals');
  });
});
