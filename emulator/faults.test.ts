import { Management, ManagementError, ManagementTimeoutError } from 'auth0';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { SEED_CONNECTIONS } from './seed';
import { type RunningEmulator, startEmulator } from './server';
import { admin, armFault, call, calls, fetchToken, managementClient } from './test-support';

const ROTATE = 'POST /api/v2/connections/{id}/keys/rotate';
const GET_KEYS = 'GET /api/v2/connections/{id}/keys';
const LIST = 'GET /api/v2/connections';
const { oktaAcme, oidcGlobex } = SEED_CONNECTIONS;

let emulator: RunningEmulator;
let token: string;
beforeAll(async () => {
  emulator = await startEmulator();
  token = await fetchToken(emulator.url);
});
beforeEach(async () => {
  await admin(emulator.url, 'DELETE', '/__emulator/faults');
  await admin(emulator.url, 'DELETE', '/__emulator/calls');
});
afterAll(() => emulator.close());

const nextKid = async (id: string) => {
  const keys = (await call(emulator.url, 'GET', `/api/v2/connections/${id}/keys`, { token })).body as Array<{
    kid: string;
    next?: boolean;
  }>;
  return keys.find((key) => key.next)?.kid;
};

describe('status faults and SDK retries', () => {
  test('a 503 once: the default SDK retries and succeeds, and the emulator saw two calls', async () => {
    await armFault(emulator.url, { route: GET_KEYS, kind: 'status', status: 503, count: 1 });
    const keys = await managementClient(emulator.url).connections.keys.get(oktaAcme.id);
    expect(keys).toHaveLength(2);
    expect((await calls(emulator.url))[GET_KEYS]).toBe(2);
  });

  test('a 503 once with maxRetries 0: the call fails once with the Auth0-shaped body', async () => {
    await armFault(emulator.url, { route: GET_KEYS, kind: 'status', status: 503 });
    const sdk = managementClient(emulator.url, undefined, { maxRetries: 0 });
    const error = await sdk.connections.keys.get(oktaAcme.id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ManagementError);
    expect((error as ManagementError).statusCode).toBe(503);
    expect((error as ManagementError).body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    expect((await calls(emulator.url))[GET_KEYS]).toBe(1);
  });

  test('429: rate-limit headers and the too_many_requests body; count 2 fails twice then recovers', async () => {
    await armFault(emulator.url, { route: LIST, kind: 'status', status: 429, count: 2 });
    for (let i = 0; i < 2; i++) {
      const limited = await call(emulator.url, 'GET', '/api/v2/connections', { token });
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ message: 'Global limit has been reached', errorCode: 'too_many_requests' });
      expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
      expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    }
    expect((await call(emulator.url, 'GET', '/api/v2/connections', { token })).status).toBe(200);
    expect((await calls(emulator.url))[LIST]).toBe(3);
  });

  test('a 500 on the token endpoint answers in the OAuth error shape', async () => {
    await armFault(emulator.url, { route: 'POST /oauth/token', kind: 'status', status: 500 });
    const failed = await call(emulator.url, 'POST', '/oauth/token', { body: {} });
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ error: 'server_error' });
  });

  test('rotate-then-500: the rotation happens and is logged, the answer is a 500; a retrying SDK rotates twice', async () => {
    await armFault(emulator.url, { route: ROTATE, kind: 'rotate-then-500' });
    const before = await nextKid(oktaAcme.id);
    const failed = await call(emulator.url, 'POST', `/api/v2/connections/${oktaAcme.id}/keys/rotate`, {
      token,
      body: {},
    });
    expect(failed.status).toBe(500);
    expect(failed.body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'An internal server error occurred',
    });
    expect(await nextKid(oktaAcme.id)).not.toBe(before);
    expect((await calls(emulator.url)).rotations[oktaAcme.id]).toBe(1);

    // Why the app turns retries off for rotate: the SDK's default retry rotates a second time.
    await armFault(emulator.url, { route: ROTATE, kind: 'rotate-then-500' });
    await managementClient(emulator.url).connections.keys.rotate(oidcGlobex.id, {});
    expect((await calls(emulator.url)).rotations[oidcGlobex.id]).toBe(2);
  });
});

describe('transport faults', () => {
  test('latency delays the answer', async () => {
    await armFault(emulator.url, { route: LIST, kind: 'latency', ms: 400 });
    const started = performance.now();
    const response = await call(emulator.url, 'GET', '/api/v2/connections?take=1', { token });
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
  });

  test('drop destroys the socket without a response', async () => {
    await armFault(emulator.url, { route: LIST, kind: 'drop' });
    await expect(call(emulator.url, 'GET', '/api/v2/connections', { token })).rejects.toThrow(TypeError);
    expect((await calls(emulator.url))[LIST]).toBe(1);
    expect((await call(emulator.url, 'GET', '/api/v2/connections', { token })).status).toBe(200);
  });

  test('hang holds the response past the client timeout', async () => {
    await armFault(emulator.url, { route: GET_KEYS, kind: 'hang', ms: 10_000 });
    const sdk = managementClient(emulator.url, undefined, { maxRetries: 0 });
    await sdk.connections.list({ take: 1 }); // token first, so only the keys call can hang
    const started = performance.now();
    const error = await sdk.connections.keys
      .get(oktaAcme.id, { timeoutInSeconds: 0.3 })
      .catch((caught: unknown) => caught);
    // Node's fetch rejects with the SDK's abort reason (the string 'timeout'), so on Node the SDK reports a
    // plain ManagementError without statusCode rather than ManagementTimeoutError.
    expect(error).toBeInstanceOf(ManagementError);
    expect(error).not.toBeInstanceOf(ManagementTimeoutError);
    expect((error as ManagementError).statusCode).toBeUndefined();
    expect((error as Error).message).toContain('timeout');
    expect(performance.now() - started).toBeLessThan(2000);
    expect((await calls(emulator.url))[GET_KEYS]).toBe(1);
  });

  test('malformed-json answers 200 with a truncated body', async () => {
    await armFault(emulator.url, { route: LIST, kind: 'malformed-json' });
    const response = await call(emulator.url, 'GET', '/api/v2/connections?take=2', { token });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(response.text)).toThrow(SyntaxError);
  });
});

describe('admin API', () => {
  test('faults are listed, validated and cleared', async () => {
    await armFault(emulator.url, { route: ROTATE, kind: 'status', status: 503, count: 3 });
    const listed = (await admin(emulator.url, 'GET', '/__emulator/faults')).body as { faults: unknown[] };
    expect(listed.faults).toEqual([expect.objectContaining({ route: ROTATE, kind: 'status', remaining: 3 })]);
    expect(
      (await admin(emulator.url, 'POST', '/__emulator/faults', { route: 'GET /nowhere', kind: 'drop' })).status,
    ).toBe(400);
    expect((await admin(emulator.url, 'POST', '/__emulator/faults', { route: ROTATE, kind: 'explode' })).status).toBe(
      400,
    );
    expect((await admin(emulator.url, 'DELETE', '/__emulator/faults')).status).toBe(204);
    expect(((await admin(emulator.url, 'GET', '/__emulator/faults')).body as { faults: unknown[] }).faults).toEqual([]);
  });

  test('reset returns to the fresh seed: new seeded keys, no logs, no faults, no counts', async () => {
    const before = await nextKid(SEED_CONNECTIONS.oktaStark.id);
    await managementClient(emulator.url).connections.keys.create(SEED_CONNECTIONS.oktaWayne.id, {});
    await armFault(emulator.url, { route: LIST, kind: 'drop' });
    expect((await admin(emulator.url, 'POST', '/__emulator/reset')).status).toBe(204);

    expect(await calls(emulator.url)).toEqual({ rotations: {}, max_concurrent_rotations: {}, rate_limited: 0 });
    expect((await call(emulator.url, 'GET', '/api/v2/connections?take=1', { token })).status).toBe(200);
    expect(await nextKid(SEED_CONNECTIONS.oktaStark.id)).not.toBe(before);
    expect(
      (await call(emulator.url, 'GET', `/api/v2/connections/${SEED_CONNECTIONS.oktaWayne.id}/keys`, { token })).body,
    ).toEqual([]);
    expect((await call(emulator.url, 'GET', '/api/v2/logs', { token })).body).toEqual([]);
    const state = (await admin(emulator.url, 'GET', '/__emulator/state')).body as Record<string, unknown>;
    expect(state).toMatchObject({ connections: 13, connections_with_keys: 6, logs: 0 });
  });

  test('the SDK maps a forbidden rotate without retrying it', async () => {
    const error = await managementClient(emulator.url, {
      client_id: 'demo-readonly',
      client_secret: 'demo-readonly-secret',
      name: '',
      scopes: [],
    })
      .connections.keys.rotate(oktaAcme.id, {})
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Management.ForbiddenError);
    expect((await calls(emulator.url))[ROTATE]).toBe(1);
  });
});

describe('max_concurrent_rotations: how many rotates of one connection were in flight at once', () => {
  const sdk = () => managementClient(emulator.url);
  const maxOf = async (id: string) => (await calls(emulator.url)).max_concurrent_rotations[id];

  test('rotations one after the other never overlap: 1', async () => {
    await armFault(emulator.url, { route: ROTATE, kind: 'latency', ms: 50, count: 2 });
    for (let i = 0; i < 2; i++) await sdk().connections.keys.rotate(oktaAcme.id, {}, { maxRetries: 0 });
    expect(await maxOf(oktaAcme.id)).toBe(1);
  });

  test('three rotates sent together, held by latency, overlap: 3, counted per connection', async () => {
    await armFault(emulator.url, { route: ROTATE, kind: 'latency', ms: 200, count: 3 });
    await Promise.all([1, 2, 3].map(() => sdk().connections.keys.rotate(oidcGlobex.id, {}, { maxRetries: 0 })));
    await sdk().connections.keys.rotate(oktaAcme.id, {}, { maxRetries: 0 });
    expect(await maxOf(oidcGlobex.id)).toBe(3);
    expect(await maxOf(oktaAcme.id)).toBe(1);
  });

  test('a rotate the client gave up on stays in flight until the emulator is done with it', async () => {
    // timing: a client timeout is the subject: the emulator holds the rotate 400 ms, the client gives up at 100 ms.
    await armFault(emulator.url, { route: ROTATE, kind: 'latency', ms: 400, count: 1 });
    const gaveUp = sdk()
      .connections.keys.rotate(oktaAcme.id, {}, { maxRetries: 0, timeoutInSeconds: 0.1 })
      .catch((error: unknown) => error);
    // The client giving up is the barrier: only then does the second rotate start, while the first is still held.
    expect(await gaveUp).toBeInstanceOf(Error);
    await sdk().connections.keys.rotate(oktaAcme.id, {}, { maxRetries: 0 });
    expect(await maxOf(oktaAcme.id)).toBe(2);
    // The abandoned rotation still completes: wait for it rather than guess how long key generation takes under load.
    await vi.waitFor(async () => expect((await calls(emulator.url)).rotations[oktaAcme.id]).toBe(2), {
      timeout: 10_000,
      interval: 50,
    });
  });
});
