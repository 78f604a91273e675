import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type RunningEmulator, startEmulator } from '@/emulator/server';
import { emulatorControl } from '@/emulator/test-support';
import { inConfiguredTenant } from '@/lib/testing/tenants';

// A 3,000-connection tenant (31 checkpoint pages of 100) in this file's own Vitest fork: the adapter and its cache
// read their configuration once per process.
const GENERATED = 3_000;
const SEEDED = 13;
const LIST = 'GET /api/v2/connections';

let emulator: RunningEmulator;
let adapter: typeof import('./connections');
let cache: typeof import('./connection-cache');

const admin = (method: string, path: string, body?: unknown) => emulatorControl(emulator.url, method, path, body);

async function listCalls(): Promise<number> {
  const calls = (await admin('GET', '/calls')) as Record<string, number>;
  return calls[LIST] ?? 0;
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, connections: GENERATED });
  process.env.KEYSHIFT_DEMO = '1';
  process.env.AUTH0_API_ORIGIN = emulator.url;
  adapter = await inConfiguredTenant(import('./connections'));
  cache = await inConfiguredTenant(import('./connection-cache'));
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await admin('POST', '/reset');
});

describe('listConnections at scale', () => {
  test('walks every checkpoint page once, reporting progress after each', async () => {
    const progress: number[] = [];
    const all = await adapter.listConnections({ onProgress: (loaded) => progress.push(loaded) });
    expect(all).toHaveLength(SEEDED + GENERATED);
    expect(new Set(all.map((connection) => connection.id)).size).toBe(all.length);
    expect(progress).toEqual(Array.from({ length: 31 }, (_, page) => Math.min(100 * (page + 1), all.length)));
    expect(await listCalls()).toBe(31);
  });

  test('asks Auth0 only for Okta and OIDC when listing key-capable connections', async () => {
    const capable = await adapter.listConnections({ keyCapableOnly: true });
    expect(new Set(capable.map((connection) => connection.strategy))).toEqual(new Set(['okta', 'oidc']));
    // 18 in 20 generated connections are Okta/OIDC, plus 9 seeded ones: fewer pages than the full list.
    expect(capable).toHaveLength(2_700 + 9);
    expect(await listCalls()).toBe(28);
  });

  test('pauses on a low rate-limit budget instead of running into 429s', async () => {
    await admin('PUT', '/rate-limit', { capacity: 12, refillPerSecond: 40 });
    const all = await adapter.listConnections();
    expect(all).toHaveLength(SEEDED + GENERATED);
    // Every request was answered the first time: a 429 would have been retried and counted again.
    expect(await listCalls()).toBe(31);
  });
});

describe('the server-side connection cache', () => {
  test('a cold read reports progress, then serves the list; a caller holding it gets "unchanged"', async () => {
    const cold = await cache.connectionList('all');
    expect(cold.connections).toBeNull();
    expect(cold.loading).not.toBeNull();
    const ready = await cache.connectionList('all', { waitMs: 30_000 });
    expect(ready.connections).toHaveLength(SEEDED + GENERATED);
    expect(ready.fetchedAt).not.toBeNull();
    const unchanged = await cache.connectionList('all', { since: ready.fetchedAt ?? undefined });
    expect(unchanged).toMatchObject({ connections: null, fetchedAt: ready.fetchedAt, loading: null });
  });

  test('the key-capable view is answered from a fresh full list without asking Auth0 again', async () => {
    await cache.connectionList('all', { waitMs: 30_000 });
    await admin('DELETE', '/calls');
    const capable = await cache.connectionList('key-capable');
    expect(capable.connections?.length).toBeGreaterThan(2_000);
    expect(capable.connections?.every((connection) => connection.keyCapable)).toBe(true);
    expect(await listCalls()).toBe(0);
  });

  test('refresh lists again at once and answers with progress, not the list', async () => {
    const before = await cache.connectionList('all', { waitMs: 30_000 });
    await admin('DELETE', '/calls');
    const refreshing = cache.refreshConnectionList('all');
    expect(refreshing).toMatchObject({ connections: null, loading: { loaded: 0 } });
    // The stale list stays served while the new listing runs.
    expect((await cache.connectionList('all')).connections).toHaveLength(SEEDED + GENERATED);
    await cache.connectionListSettled('all');
    const settled = await cache.connectionList('all');
    expect(settled.loading).toBeNull();
    expect(settled.fetchedAt).toBeGreaterThan(before.fetchedAt ?? Number.POSITIVE_INFINITY);
    expect(settled.connections).toHaveLength(SEEDED + GENERATED);
    expect(await listCalls()).toBe(31);
  });

  test('concurrent readers waiting for a listing share it', async () => {
    await admin('DELETE', '/calls');
    cache.refreshConnectionList('key-capable');
    await Promise.all(Array.from({ length: 5 }, () => cache.connectionList('key-capable', { waitMs: 30_000 })));
    expect(await listCalls()).toBe(28);
  });
});
