import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { type RunningEmulator, startEmulator } from '@/emulator/server';
import { emulatorControl } from '@/emulator/test-support';
import type { AuditStore, InventoryRow } from '@/lib/audit';
import { rotationRequestedEvent } from '@/lib/audit/events';
import { inConfiguredTenant } from '@/lib/testing/tenants';

// A campaign end to end in one process, on the configured store (PGlite) and pg-boss through its database adapter:
// 50 connections of a 10,000-connection tenant, the emulator's bucket tight. In this file's own Vitest fork.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 180_000 });
const DOMAIN = 'demo-tenant.local';
const ROTATE = 'POST /api/v2/connections/{id}/keys/rotate';
const TIGHT = { capacity: 20, refillPerSecond: 20 };
const BY = {
  user: { sub: 'auth0|alice', email: 'alice@example.com', name: 'Alice' },
  requestId: 'test-request',
  ip: null,
  userAgent: null,
};

let emulator: RunningEmulator;
let dataDir: string;
let store: AuditStore;
let live: typeof import('./live');
let names: string[] = [];
/** Three more connections with keys, kept out of the first campaign, for the crash cases. */
let spare: InventoryRow[] = [];
let auth0: typeof import('@/lib/auth0/connections');
const admin = (method: string, route: string, body?: unknown) => emulatorControl(emulator.url, method, route, body);

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, connections: 10_000 });
  dataDir = mkdtempSync(path.join(tmpdir(), 'keyshift-campaign-'));
  Object.assign(process.env, {
    KEYSHIFT_DEMO: '1',
    AUTH0_API_ORIGIN: emulator.url,
    KEYSHIFT_DATA_DIR: dataDir,
    KEYSHIFT_JOB_MAINTENANCE_SECONDS: '1',
  });
  auth0 = await inConfiguredTenant(import('@/lib/auth0/connections'));
  const { inventoryRowOf } = await import('@/lib/fleet/inventory');
  store = await (await import('@/lib/audit')).auditStore();
  live = await inConfiguredTenant(import('./live'));
  // The inventory of 50 generated connections with keys, read as the filler would (it would take minutes for all).
  const listed = await auth0.listConnections({ keyCapableOnly: true });
  const rows = [];
  for (const connection of listed.filter((c) => c.keyCapable && c.name.includes('-customer-'))) {
    const keys = await auth0.listConnectionKeys(connection.id);
    if (keys.length === 0) continue;
    rows.push(inventoryRowOf(DOMAIN, connection, keys, new Date()));
    if (rows.length === 53) break;
  }
  await store.saveInventory(rows);
  spare = rows.slice(50);
  names = rows.slice(0, 50).map((row) => row.connectionName);
});

afterAll(async () => {
  await live?.stopJobEngine();
  await store?.close();
  await emulator?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function finished(id: string) {
  await expect
    .poll(async () => (await live.campaignView(id))?.state, { timeout: 180_000, interval: 250 })
    .toBe('finished');
  return live.campaignView(id);
}

describe('a campaign over 50 connections of a 10,000-connection tenant', () => {
  test('rotates each once, within the tight rate limit (0 responses of 429), each event naming the campaign', async () => {
    await admin('PUT', '/rate-limit', TIGHT);
    await admin('DELETE', '/calls');
    const request = { selection: { kind: 'names' as const, names }, algorithm: 'keep' as const, includeNotReady: true };
    const plan = await live.campaignPlan(request);
    expect(plan.rotating).toBe(50);
    expect(plan.phrase).toBe('rotate 50 connections in demo-tenant');
    // The wrong phrase changes nothing.
    await expect(
      live.startCampaign({ ...request, digest: plan.digest, confirmation: 'rotate 50' }, BY),
    ).rejects.toThrow(/Type “rotate 50 connections in/);
    const started = performance.now();
    const id = await live.startCampaign({ ...request, digest: plan.digest, confirmation: plan.phrase }, BY);
    await live.startCampaignWorker();
    const view = await finished(id);
    const seconds = (performance.now() - started) / 1000;
    expect(view?.counts).toMatchObject({ total: 50, succeeded: 50, failed: 0, unknown: 0, pending: 0 });
    const calls = (await admin('GET', '/calls')) as Record<string, number>;
    expect(calls[ROTATE]).toBe(50);
    expect(calls.rate_limited).toBe(0);
    const requests = Object.entries(calls)
      .filter(([route]) => route.includes(' /api/v2/'))
      .reduce((sum, [, count]) => sum + count, 0);
    const floor = requests / TIGHT.refillPerSecond;
    console.log(
      `[campaign] 50 rotations, ${requests} requests in ${seconds.toFixed(1)} s; floor at the full rate ${floor.toFixed(1)} s (ratio ${(seconds / floor).toFixed(2)}), at the campaign's share ${(floor / 0.5).toFixed(1)} s (ratio ${(seconds / (floor / 0.5)).toFixed(2)})`,
    );
    // Every rotation's events name the campaign; the campaign's own start and finish are in the trail.
    const { events } = await store.list({ limit: 500 });
    const requested = events.filter((event) => event.type === 'rotation.requested');
    expect(requested).toHaveLength(50);
    for (const event of requested) expect(event.details).toMatchObject({ campaignId: id });
    const succeeded = events.filter((event) => event.type === 'rotation.succeeded');
    for (const event of succeeded) expect(event.details).toMatchObject({ campaignId: id });
    expect(events.filter((event) => event.type === 'campaign.started')).toHaveLength(1);
    expect(events.find((event) => event.type === 'campaign.finished')?.details).toMatchObject({
      campaignId: id,
      counts: { succeeded: 50 },
    });
  });
});

describe('a runner that died mid-item: the next one settles the item from the trail, and each connection rotates once', () => {
  const rotations = async (connectionId: string) =>
    ((await admin('GET', '/calls')) as { rotations?: Record<string, number> }).rotations?.[connectionId] ?? 0;

  /** A campaign of the spare connections, written as startCampaign writes it, but without jobs: the test runs them. */
  async function campaignOfSpares(): Promise<string> {
    const id = crypto.randomUUID();
    await store.startCampaign(
      { type: 'campaign.started', tenant: DOMAIN, details: { campaignId: id, items: spare.length } },
      {
        id,
        tenant: DOMAIN,
        selection: 'crash test',
        share: 0.5,
        createdBySub: BY.user.sub,
        createdByEmail: BY.user.email,
        createdByName: BY.user.name,
      },
      spare.map((row, position) => ({
        connectionId: row.connectionId,
        position,
        connectionName: row.connectionName,
        algorithm: row.currentAlgorithm,
        expectedCurrentKid: row.currentKid,
        expectedNextKid: row.nextKid,
        plannedReadiness: 'unknown',
        acknowledgedReadiness: 'unknown',
        status: 'pending',
        message: null,
      })),
    );
    return id;
  }

  /** What the dead runner did: claimed the item, and (if `requested`) recorded the request, as rotate.ts does. */
  async function diedAfter(campaignId: string, row: InventoryRow, requested: boolean): Promise<string> {
    const requestId = crypto.randomUUID();
    expect(await store.claimCampaignItem(campaignId, row.connectionId, requestId, new Date())).not.toBeNull();
    if (requested) {
      await store.append(
        rotationRequestedEvent(
          {
            tenant: DOMAIN,
            requestId,
            user: BY.user,
            connectionId: row.connectionId,
            connectionName: row.connectionName,
            algorithm: row.currentAlgorithm ?? 'RS256',
            clientIp: null,
            userAgent: null,
            campaignId,
          },
          row.currentKid,
          row.nextKid,
        ),
      );
    }
    return requestId;
  }

  test('died before recording the request, after it (Auth0 never acted), and after Auth0 rotated', async () => {
    await admin('PUT', '/rate-limit', { capacity: 200, refillPerSecond: 100 });
    const id = await campaignOfSpares();
    const [before, neverActed, acted] = spare as [InventoryRow, InventoryRow, InventoryRow];
    await diedAfter(id, before, false);
    const lost = await diedAfter(id, neverActed, true);
    const landed = await diedAfter(id, acted, true);
    // The dead runner's rotate reached Auth0 for this one.
    await auth0.rotateConnectionKeys(acted.connectionId, acted.currentAlgorithm ?? 'RS256');
    const counted = await Promise.all(spare.map((row) => rotations(row.connectionId)));

    for (const row of spare)
      await live.runItemJob({ tenant: 'demo-tenant', campaignId: id, connectionId: row.connectionId });

    const view = await live.campaignView(id);
    expect(view?.state).toBe('finished');
    const items = new Map(view?.items.map((item) => [item.connectionId, item]));
    for (const row of spare) expect(items.get(row.connectionId)?.status).toBe('succeeded');
    // Rotated exactly once each (the one Auth0 rotated for the dead runner, not again).
    const after = await Promise.all(spare.map((row) => rotations(row.connectionId)));
    expect(after.map((count, index) => count - (counted[index] ?? 0))).toEqual([1, 1, 0]);
    expect(items.get(before.connectionId)?.attempts).toBe(2);
    expect(items.get(neverActed.connectionId)?.attempts).toBe(2);
    expect(items.get(acted.connectionId)?.attempts).toBe(1);
    // The trail is complete: the lost request settled as failed by reading the keys back, the landed one as succeeded.
    expect((await store.eventsForRequest(lost)).map((event) => event.type)).toEqual([
      'rotation.requested',
      'rotation.failed',
    ]);
    const landedEvents = await store.eventsForRequest(landed);
    expect(landedEvents.map((event) => event.type)).toEqual(['rotation.requested', 'rotation.succeeded']);
    expect(landedEvents[1]?.details).toMatchObject({ campaignId: id });
    expect((await store.verify()).ok).toBe(true);
  });
});
