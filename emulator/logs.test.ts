import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type LogEvent, LogStore } from './logs';
import { SEED_CLIENTS, SEED_CONNECTIONS } from './seed';
import { type RunningEmulator, startEmulator } from './server';
import { armFault, call, fetchToken, managementClient, mintToken } from './test-support';

const { oktaAcme, oktaWayne } = SEED_CONNECTIONS;
let emulator: RunningEmulator;
let token: string;
const get = async <T>(path: string, as = token) => (await call(emulator.url, 'GET', path, { token: as })).body as T;

beforeAll(async () => {
  emulator = await startEmulator();
  token = await fetchToken(emulator.url);
  const agent = { 'user-agent': 'keyshift-test/1.0' };
  const rotate = (body: unknown) =>
    call(emulator.url, 'POST', `/api/v2/connections/${oktaAcme.id}/keys/rotate`, { token, body, headers: agent });
  await call(emulator.url, 'POST', `/api/v2/connections/${oktaWayne.id}/keys`, {
    token,
    body: { signing_alg: 'ES256' },
    headers: agent,
  });
  await rotate({ signing_alg: 'ES256' });
  await armFault(emulator.url, { route: 'POST /api/v2/connections/{id}/keys/rotate', kind: 'rotate-then-500' });
  await rotate({});
  // Failed operations are not logged: only what the tenant actually did.
  await call(emulator.url, 'POST', `/api/v2/connections/${oktaAcme.id}/keys`, { token, headers: agent });
});
afterAll(() => emulator.close());

describe('GET /api/v2/logs', () => {
  test('one sapi event per provisioning and rotation performed, newest first by default', async () => {
    const logs = await get<LogEvent[]>('/api/v2/logs');
    expect(logs.map((event) => event.description)).toEqual([
      'Rotate connection keys',
      'Rotate connection keys',
      'Create connection keys',
    ]);
    const [rotatedDespite500, rotated, created] = logs as [LogEvent, LogEvent, LogEvent];
    expect(created).toMatchObject({
      type: 'sapi',
      client_id: SEED_CLIENTS.m2m.client_id,
      client_name: SEED_CLIENTS.m2m.name,
      ip: '127.0.0.1',
      user_agent: 'keyshift-test/1.0',
      hostname: 'demo-tenant.local',
      details: {
        request: { method: 'post', path: `/api/v2/connections/${oktaWayne.id}/keys`, body: { signing_alg: 'ES256' } },
        response: { statusCode: 201 },
      },
    });
    expect(rotated.details.response.body).toMatchObject({ next: true, algorithm: 'ES256' });
    // The rotation answered with a 500 still happened, so the tenant log has it (with what Auth0 did: 201).
    expect(rotatedDespite500.details.response).toMatchObject({
      statusCode: 201,
      body: { next: true, algorithm: 'RS256' },
    });
    expect(created.log_id < rotated.log_id && rotated.log_id < rotatedDespite500.log_id).toBe(true);
    expect(Date.parse(created.date)).not.toBeNaN();
  });

  test('checkpoint reads go forward from a log_id (exclusive), oldest first', async () => {
    const all = await get<LogEvent[]>('/api/v2/logs?sort=date:1');
    const walked: string[] = [];
    let from = '';
    for (;;) {
      const page = await get<LogEvent[]>(`/api/v2/logs?take=2${from ? `&from=${from}` : ''}`);
      if (page.length === 0) break;
      walked.push(...page.map((event) => event.log_id));
      from = page.at(-1)?.log_id ?? '';
    }
    expect(walked).toEqual(all.map((event) => event.log_id));
  });

  test('offset paging with totals, and sort', async () => {
    const page = await get<{ start: number; limit: number; length: number; total: number; logs: LogEvent[] }>(
      '/api/v2/logs?page=1&per_page=2&include_totals=true&sort=date:1',
    );
    expect(page).toMatchObject({ start: 2, limit: 2, length: 1, total: 3 });
    expect(page.logs.map((event) => event.description)).toEqual(['Rotate connection keys']);
  });

  test.each([
    ['type:sapi', 3],
    ['type:fapi', 0],
    ['description:"Create connection keys"', 1],
    ['type:sapi AND description:rotate*', 2],
    [`details.request.path:"/api/v2/connections/${oktaWayne.id}/keys"`, 1],
  ])('q=%s matches %i', async (q, count) => {
    expect(await get<LogEvent[]>(`/api/v2/logs?q=${encodeURIComponent(q)}`)).toHaveLength(count);
  });

  test('the SDK lists them (it sends search, page, per_page, include_totals)', async () => {
    const page = await managementClient(emulator.url).logs.list({ search: 'type:sapi', per_page: 2 });
    expect(page.data).toHaveLength(2);
    const one = await managementClient(emulator.url).logs.get(page.data[0]?.log_id ?? '');
    expect(one.log_id).toBe(page.data[0]?.log_id);
  });

  test('scope and validation errors', async () => {
    const noLogs = await mintToken(emulator.url, { client_id: 'demo-m2m', scope: 'read:connections' });
    const forbidden = await call(emulator.url, 'GET', '/api/v2/logs', { token: noLogs });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ message: 'Insufficient scope; expected all of: read:logs.' });
    expect((await call(emulator.url, 'GET', '/api/v2/logs?q=(nonsense', { token })).status).toBe(400);
    expect((await call(emulator.url, 'GET', '/api/v2/logs?take=500', { token })).status).toBe(400);
    expect((await call(emulator.url, 'GET', '/api/v2/logs/900', { token })).status).toBe(404);
  });
});

describe('LogStore retention', () => {
  test('keeps the newest sign-in events up to its limit and every sapi event', () => {
    const store = new LogStore('demo-tenant.local', [], 0, () => 0, 3);
    const event = (type: string, description: string) =>
      store.append({
        type,
        description,
        client_id: 'c',
        ip: '',
        user_agent: '',
        details: { request: {}, response: { statusCode: 200, body: null } },
      });
    event('sapi', 'Rotate connection keys');
    for (const n of [1, 2, 3, 4, 5]) event(n % 2 ? 's' : 'f', `sign-in ${n}`);
    expect(store.all.map((kept) => kept.description)).toEqual([
      'Rotate connection keys',
      'sign-in 3',
      'sign-in 4',
      'sign-in 5',
    ]);
    // Ids stay unique and ordered: checkpoint reads after a drop continue where they were.
    expect(store.query(new URLSearchParams({ from: store.all[1]?.log_id ?? '' }))).toHaveLength(2);
  });
});
