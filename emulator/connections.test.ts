import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SEED_CONNECTIONS } from './seed';
import { type RunningEmulator, startEmulator } from './server';
import { call, fetchToken, managementClient } from './test-support';

interface Listed {
  id: string;
  name: string;
  strategy: string;
  options?: unknown;
}

const GENERATED = 250;
const TOTAL = Object.keys(SEED_CONNECTIONS).length + GENERATED;

let emulator: RunningEmulator;
let token: string;
const get = (path: string) => call(emulator.url, 'GET', path, { token });

beforeAll(async () => {
  emulator = await startEmulator({ connections: GENERATED });
  token = await fetchToken(emulator.url);
});
afterAll(() => emulator.close());

async function walkCheckpoints(query: string): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let from: string | undefined;
  let pages = 0;
  do {
    const response = await get(`/api/v2/connections?${query}${from ? `&from=${encodeURIComponent(from)}` : ''}`);
    expect(response.status).toBe(200);
    const body = response.body as { next?: string; connections: Listed[] };
    ids.push(...body.connections.map((connection) => connection.id));
    from = body.next;
    pages += 1;
  } while (from);
  return { ids, pages };
}

describe('listing connections', () => {
  test('checkpoint paging walks every connection once, in a stable order, and ends without `next`', async () => {
    const { ids, pages } = await walkCheckpoints('take=100');
    expect(ids).toHaveLength(TOTAL);
    expect(new Set(ids).size).toBe(TOTAL);
    expect(pages).toBe(Math.ceil(TOTAL / 100));
    expect(ids.slice(0, 2)).toEqual([SEED_CONNECTIONS.oktaAcme.id, SEED_CONNECTIONS.oidcGlobex.id]);
    for (const id of ids) expect(id).toMatch(/^con_[A-Za-z0-9]{16}$/);
  });

  test('the SDK pages through them too (take + from, async iteration)', async () => {
    const sdk = managementClient(emulator.url);
    const page = await sdk.connections.list({ take: 40, strategy: ['okta'] });
    expect(page.data).toHaveLength(40);
    expect(page.hasNextPage()).toBe(true);
    const seen: string[] = [];
    for await (const connection of page) seen.push(connection.id ?? '');
    const { ids } = await walkCheckpoints('take=100&strategy=okta');
    expect(seen).toEqual(ids);
  });

  test('filters: strategy (repeatable) and exact name, combined with checkpoints', async () => {
    const { ids } = await walkCheckpoints('take=7&strategy=samlp&strategy=waad');
    const all = (await walkCheckpoints('take=100')).ids;
    const offset = (await get('/api/v2/connections?strategy=samlp&strategy=waad&include_totals=true&per_page=100'))
      .body as { total: number; connections: Listed[] };
    expect(offset.connections.every((connection) => ['samlp', 'waad'].includes(connection.strategy))).toBe(true);
    expect(ids).toEqual(offset.connections.map((connection) => connection.id));
    expect(offset.total).toBe(ids.length);
    expect(ids.length).toBeLessThan(all.length);

    const byName = await get(`/api/v2/connections?name=${SEED_CONNECTIONS.oktaStark.name}`);
    expect((byName.body as Listed[]).map((connection) => connection.id)).toEqual([SEED_CONNECTIONS.oktaStark.id]);
    expect((await get('/api/v2/connections?name=okta-sta')).body).toEqual([]);
  });

  test('offset paging with totals matches the checkpoint order', async () => {
    const { ids } = await walkCheckpoints('take=100');
    const response = await get('/api/v2/connections?page=1&per_page=10&include_totals=true');
    const body = response.body as { start: number; limit: number; total: number; connections: Listed[] };
    expect({ start: body.start, limit: body.limit, total: body.total }).toEqual({ start: 10, limit: 10, total: TOTAL });
    expect(body.connections.map((connection) => connection.id)).toEqual(ids.slice(10, 20));
    const plain = await get('/api/v2/connections?page=2&per_page=5');
    expect((plain.body as Listed[]).map((connection) => connection.id)).toEqual(ids.slice(10, 15));
  });

  test('without paging parameters: a plain array, capped at 50', async () => {
    const response = await get('/api/v2/connections');
    expect(Array.isArray(response.body)).toBe(true);
    expect(response.body).toHaveLength(50);
  });

  test('fields and include_fields project each item', async () => {
    const only = (await get('/api/v2/connections?take=3&fields=id,name')).body as { connections: Listed[] };
    expect(only.connections.map((connection) => Object.keys(connection))).toEqual([
      ['id', 'name'],
      ['id', 'name'],
      ['id', 'name'],
    ]);
    const without = (await get('/api/v2/connections?per_page=2&fields=options&include_fields=false')).body as Listed[];
    expect(without[0]).not.toHaveProperty('options');
    expect(without[0]).toHaveProperty('strategy');
    const one = await get(`/api/v2/connections/${SEED_CONNECTIONS.waadContoso.id}?fields=strategy`);
    expect(one.body).toEqual({ strategy: 'waad' });
  });

  test.each([
    ['take=0', 'take'],
    ['take=101', 'take'],
    ['take=ten', 'take'],
    ['per_page=0', 'per_page'],
    ['per_page=101', 'per_page'],
    ['page=-1', 'page'],
    ['include_totals=maybe', 'include_totals'],
    ['strategy=carrier-pigeon', 'strategy'],
    ['from=not-a-checkpoint', 'from'],
    ['colour=blue', 'colour'],
    ['page=10&per_page=100', 'first 1000 records'],
  ])('400 invalid_query_string for %s', async (query, mentioned) => {
    const response = await get(`/api/v2/connections?${query}`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', errorCode: 'invalid_query_string' });
    expect((response.body as { message: string }).message).toContain(mentioned);
  });
});
