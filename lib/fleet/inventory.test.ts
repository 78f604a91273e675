import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { SEED_CONNECTIONS } from '@/emulator/seed';
import { type RunningEmulator, startEmulator } from '@/emulator/server';
import { emulatorControl, managementClient } from '@/emulator/test-support';
import { type AuditStore, ConnectionLockedError, openAuditStore } from '@/lib/audit';
import { auditBackends } from '@/lib/audit/test-backends';
import { inConfiguredTenant } from '@/lib/testing/tenants';
import { type InventoryDependencies, InventoryFiller, type InventorySettings } from './inventory';

// The filler against the emulator (the Management API, its rate limit and headers) and a real store. 60 generated
// connections beside the seed, in this file's own Vitest fork (the Auth0 adapter reads its configuration once).
const GENERATED = 60;
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });
const DOMAIN = 'demo-tenant.local';
const ACME = SEED_CONNECTIONS.oktaAcme;

let emulator: RunningEmulator;
let auth0: typeof import('@/lib/auth0/connections');
const admin = (method: string, path: string, body?: unknown) => emulatorControl(emulator.url, method, path, body);

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, connections: GENERATED });
  process.env.KEYSHIFT_DEMO = '1';
  process.env.AUTH0_API_ORIGIN = emulator.url;
  auth0 = await inConfiguredTenant(import('@/lib/auth0/connections'));
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await admin('POST', '/reset');
});

const SETTINGS: InventorySettings = {
  budget: { share: 0.5, maxWaitMs: 2_000 },
  listEveryMs: 3600_000,
  sweepEveryMs: 24 * 3600_000,
  concurrency: 4,
  tickMs: 120_000,
};

function liveDependencies(store: AuditStore, overrides: Partial<InventoryDependencies> = {}): InventoryDependencies {
  return {
    store,
    listConnections: async () => (await auth0.listConnections({ keyCapableOnly: true })).filter((c) => c.keyCapable),
    readKeys: (id) => auth0.readConnectionKeysPaced(id),
    syncLogs: async () => {},
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    ...overrides,
  };
}

async function keyCapableCount(): Promise<number> {
  return (await auth0.listConnections({ keyCapableOnly: true })).filter((c) => c.keyCapable).length;
}

describe('the inventory filler against the emulator', () => {
  test('a first tick reads every key-capable connection once, keys and certificate dates in each row', async () => {
    const store = await openAuditStore({ memory: true });
    const expected = await keyCapableCount();
    await admin('DELETE', '/calls');
    const filler = new InventoryFiller(DOMAIN, liveDependencies(store), SETTINGS);
    const report = await filler.tick();
    expect(report).toMatchObject({ read: expected, listed: true, due: 0 });
    const rows = await store.inventory(DOMAIN);
    expect(rows).toHaveLength(expected);
    const acme = rows.find((row) => row.connectionId === ACME.id);
    expect(acme).toMatchObject({ keysState: 'provisioned', currentAlgorithm: 'RS256', staleSince: null, error: null });
    expect(acme?.currentKid).toMatch(/.+/);
    expect(acme?.nextKid).toMatch(/.+/);
    expect(acme?.currentSince).toBeInstanceOf(Date);
    // The emulator's certificates are valid for a year.
    const days = ((acme?.currentNotAfter?.getTime() ?? 0) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(300);
    expect(rows.some((row) => row.keysState === 'not-provisioned')).toBe(true);
    const calls = (await admin('GET', '/calls')) as Record<string, number>;
    expect(calls['GET /api/v2/connections/{id}/keys']).toBe(expected);
    expect(calls.rate_limited).toBe(0);
    // Nothing is due: a second tick reads nothing.
    expect(await filler.tick()).toMatchObject({ read: 0, listed: false, due: 0 });
    await store.close();
  });

  test('under a tight rate limit it keeps to its share and never meets a 429', async () => {
    const store = await openAuditStore({ memory: true });
    const expected = await keyCapableCount();
    await admin('PUT', '/rate-limit', { capacity: 30, refillPerSecond: 60 });
    await admin('DELETE', '/calls');
    const filler = new InventoryFiller(DOMAIN, liveDependencies(store), SETTINGS);
    const started = Date.now();
    const report = await filler.tick();
    const seconds = (Date.now() - started) / 1000;
    expect(report.read).toBe(expected);
    const calls = (await admin('GET', '/calls')) as Record<string, number>;
    expect(calls.rate_limited).toBe(0);
    expect(filler.current().rateLimited).toBe(0);
    // At most its share of the refill (30 a second) after the first burst of at most half the bucket.
    expect(filler.budget.pace() ?? 0).toBeLessThanOrEqual(30.01);
    expect(seconds).toBeGreaterThan((expected - 15) / 30 - 1);
    await store.close();
  });

  test('a key change the trail records marks the row stale, and the next tick reads it again', async () => {
    const store = await openAuditStore({ memory: true });
    const filler = new InventoryFiller(DOMAIN, liveDependencies(store), SETTINGS);
    await filler.tick();
    const before = (await store.inventory(DOMAIN)).find((row) => row.connectionId === ACME.id);
    // A rotation made outside Keyshift (straight through the Management API), as the log sync records it.
    const rotated = await managementClient(emulator.url).connections.keys.rotate(ACME.id, {});
    await store.append({
      type: 'rotation.external',
      tenant: DOMAIN,
      connectionId: ACME.id,
      connectionName: ACME.name,
      newKid: rotated.kid,
    });
    const report = await filler.tick();
    expect(report).toMatchObject({ marked: 1, read: 1 });
    const after = (await store.inventory(DOMAIN)).find((row) => row.connectionId === ACME.id);
    expect(after?.currentKid).toBe(before?.nextKid);
    expect(after?.nextKid).toBe(rotated.kid);
    expect(after?.staleSince).toBeNull();
    expect(after?.checkedAt.getTime()).toBeGreaterThan(before?.checkedAt.getTime() ?? 0);
    await store.close();
  });

  test('the sweep reads every row older than its period again', async () => {
    const store = await openAuditStore({ memory: true });
    // The real clock, moved on by an hour between the ticks.
    let offset = 0;
    const filler = new InventoryFiller(DOMAIN, liveDependencies(store, { now: () => Date.now() + offset }), {
      ...SETTINGS,
      listEveryMs: 10 * 3600_000,
      sweepEveryMs: 3600_000,
    });
    const expected = (await filler.tick()).read;
    offset = 3600_000 + 1;
    expect(await filler.tick()).toMatchObject({ read: expected, listed: false });
  });
});

describe.each(await auditBackends('lib/fleet/inventory.test.ts'))('two instances on %s', (_, backend) => {
  const it = backend.kind === 'postgres' && backend.available ? test : test.skip;
  it('fill one tenant one at a time: the second finds the inventory lock held', async () => {
    const scratch = await backend.fresh();
    const second = await scratch.secondStore();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const first = new InventoryFiller(
      DOMAIN,
      liveDependencies(scratch.store, {
        syncLogs: async () => {
          entered();
          await held;
        },
      }),
      SETTINGS,
    );
    const running = first.tick();
    await inside;
    const other = new InventoryFiller(DOMAIN, liveDependencies(second), SETTINGS);
    await expect(other.tick()).rejects.toBeInstanceOf(ConnectionLockedError);
    release();
    expect((await running).read).toBeGreaterThan(0);
    await second.close();
    await scratch.close();
  });
});
