/**
 * A campaign's wall time against the floor its tenant's rate limit allows: ROTATIONS connections of a 10,000-connection
 * tenant rotated as jobs (pg-boss on PGlite through its adapter, as a single instance runs it), the emulator's bucket
 * holding CAPACITY and refilling REFILL a second, the campaign's share SHARE. The emulator runs in a child process and
 * draws key pairs from a pool (`--key-pool`), so Auth0's own key generation does not stand in the way.
 *
 * Prints: rotations, requests, wall time, the floor at the full rate (requests / refill) and at the campaign's share
 * (what the bucket holds above the reserve is free, then share × refill), both ratios, and the 429 responses.
 *
 * Run: `npx tsx bench/campaign.ts [rotations=100] [capacity:refill=20:20] [share=0.5]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveServerOnlyAsServer } from '../scripts/server-only-condition';
import { startEmulatorChild } from './support/emulator-child';

const ROTATIONS = Number(process.argv[2] ?? 100);
const [CAPACITY, REFILL] = (process.argv[3] ?? '20:20').split(':').map(Number) as [number, number];
const SHARE = Number(process.argv[4] ?? 0.5);
const PORT = 4291;
const URL_ = `http://127.0.0.1:${PORT}`;

async function admin(method: string, route: string, body?: unknown): Promise<Record<string, number>> {
  const response = await fetch(`${URL_}/__emulator${route}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return text ? (JSON.parse(text) as Record<string, number>) : {};
}

async function main() {
  const emulator = await startEmulatorChild(PORT, ['--connections', '10000', '--key-pool', '32']);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'keyshift-bench-campaign-'));
  try {
    Object.assign(process.env, {
      KEYSHIFT_DEMO: '1',
      AUTH0_API_ORIGIN: URL_,
      KEYSHIFT_DATA_DIR: dataDir,
      KEYSHIFT_CAMPAIGN_SHARE: String(SHARE),
    });
    resolveServerOnlyAsServer();
    const { config } = await import('../lib/config');
    const { inTenant } = await import('../lib/tenants/scope');
    const { auditStore } = await import('../lib/audit/store');
    const auth0 = await import('../lib/auth0/connections');
    const { inventoryRowOf } = await import('../lib/fleet/inventory');
    const live = await import('../lib/campaigns/live');
    const tenant = config().tenants[0];
    if (!tenant) throw new Error('no tenant');
    const store = await auditStore();
    // The inventory of ROTATIONS connections with keys, read at the emulator's generous default limit.
    const rows = await inTenant(tenant, async () => {
      const found = [];
      for (const connection of await auth0.listConnections({ keyCapableOnly: true })) {
        if (!connection.keyCapable || !connection.name.includes('-customer-')) continue;
        const keys = await auth0.listConnectionKeys(connection.id);
        if (keys.length > 0) found.push(inventoryRowOf(tenant.domain, connection, keys, new Date()));
        if (found.length === ROTATIONS) break;
      }
      return found;
    });
    await store.saveInventory(rows);
    const request = {
      selection: { kind: 'names' as const, names: rows.map((row) => row.connectionName) },
      algorithm: 'keep' as const,
      includeNotReady: true,
    };
    const by = { user: { sub: 'bench', email: null, name: 'Bench' }, requestId: 'bench', ip: null, userAgent: null };
    // The tight limit, a full bucket, counters at zero; then the campaign.
    await admin('PUT', '/rate-limit', { capacity: CAPACITY, refillPerSecond: REFILL });
    await admin('DELETE', '/calls');
    const started = performance.now();
    const id = await inTenant(tenant, async () => {
      const plan = await live.campaignPlan(request);
      return live.startCampaign({ ...request, digest: plan.digest, confirmation: plan.phrase }, by);
    });
    await live.startCampaignWorker();
    let state = 'running';
    while (state !== 'finished') {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = (await inTenant(tenant, () => live.campaignView(id)))?.state ?? 'gone';
      if (state === 'gone' || state === 'cancelled') throw new Error(`the campaign is ${state}`);
    }
    const seconds = (performance.now() - started) / 1000;
    const calls = await admin('GET', '/calls');
    const requests = Object.entries(calls)
      .filter(([route]) => route.includes(' /api/v2/'))
      .reduce((sum, [, count]) => sum + (typeof count === 'number' ? count : 0), 0);
    const view = await inTenant(tenant, () => live.campaignView(id));
    const fullFloor = requests / REFILL;
    const shareFloor = Math.max(0, requests - CAPACITY * SHARE) / (REFILL * SHARE);
    console.log(`tenant: 10,000 generated connections + the seed; rate limit: bucket ${CAPACITY}, refill ${REFILL}/s`);
    console.log(
      `campaign share: ${SHARE}; ${view?.counts.succeeded} of ${ROTATIONS} rotated; ${requests} requests (${calls['POST /api/v2/connections/{id}/keys/rotate']} rotates)`,
    );
    console.log(`wall time: ${seconds.toFixed(1)} s`);
    console.log(`floor at the full rate: ${fullFloor.toFixed(1)} s → ratio ${(seconds / fullFloor).toFixed(2)}`);
    console.log(
      `floor at the campaign's share (bucket above the reserve free, then share × refill): ${shareFloor.toFixed(1)} s → ratio ${(seconds / shareFloor).toFixed(2)}`,
    );
    console.log(`429 responses: ${calls.rate_limited ?? 0}`);
    await live.stopJobEngine();
    await store.close();
    if ((calls.rate_limited ?? 0) > 0 || view?.counts.succeeded !== ROTATIONS) process.exitCode = 1;
  } finally {
    emulator.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
