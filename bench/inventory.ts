/**
 * The first full key inventory of a 10,000-connection tenant under a given rate limit, against the floor that limit
 * allows: requests needed / permitted rate. The emulator runs in a child process (its own core), with a token bucket
 * of CAPACITY refilling REFILL a second, and draws key pairs from a pool (`--key-pool`) so that 20,000 RSA key
 * generations do not stand in for Auth0's own work; the filler runs here, on a fresh in-memory store.
 *
 * Prints: requests made (listing pages + key reads), wall time, the floors at the full rate and at the filler's share,
 * both ratios, and the number of 429 responses (the bucket's refusals, counted by the emulator).
 *
 * Run: `npx tsx bench/inventory.ts [connections=10000] [capacity:refill=100:200] [share=0.5]`.
 */
import { resolveServerOnlyAsServer } from '../scripts/server-only-condition';
import { startEmulatorChild } from './support/emulator-child';

const CONNECTIONS = Number(process.argv[2] ?? 10_000);
const [CAPACITY, REFILL] = (process.argv[3] ?? '100:200').split(':').map(Number) as [number, number];
const SHARE = Number(process.argv[4] ?? 0.5);
const PORT = 4290;
const URL_ = `http://127.0.0.1:${PORT}`;

async function calls(): Promise<Record<string, number>> {
  return (await (await fetch(`${URL_}/__emulator/calls`)).json()) as Record<string, number>;
}

async function main() {
  const emulator = await startEmulatorChild(PORT, [
    '--connections',
    String(CONNECTIONS),
    '--rate-limit',
    `${CAPACITY}:${REFILL}`,
    '--key-pool',
    '32',
  ]);
  try {
    process.env.KEYSHIFT_DEMO = '1';
    process.env.AUTH0_API_ORIGIN = URL_;
    resolveServerOnlyAsServer();
    const { config } = await import('../lib/config');
    const { inTenant } = await import('../lib/tenants/scope');
    const { openAuditStore } = await import('../lib/audit/store');
    const auth0 = await import('../lib/auth0/connections');
    const { InventoryFiller, DEFAULT_INVENTORY_SETTINGS } = await import('../lib/fleet/inventory');
    const tenant = config().tenants[0];
    if (!tenant) throw new Error('no tenant');
    const store = await openAuditStore({ memory: true });
    // Warm the token (one request outside the measured run) and zero the counters.
    await inTenant(tenant, () => auth0.listConnectionKeys('con_Q7tLk2vMx9RbW4sE'));
    await fetch(`${URL_}/__emulator/calls`, { method: 'DELETE' });
    await new Promise((resolve) => setTimeout(resolve, (CAPACITY / REFILL) * 1000 + 500)); // a full bucket to start
    const filler = new InventoryFiller(
      tenant.domain,
      {
        store,
        listConnections: () =>
          inTenant(tenant, async () =>
            (await auth0.listConnections({ keyCapableOnly: true })).filter((connection) => connection.keyCapable),
          ),
        readKeys: (id) => inTenant(tenant, () => auth0.readConnectionKeysPaced(id)),
        syncLogs: async () => {},
        now: () => Date.now(),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      },
      { ...DEFAULT_INVENTORY_SETTINGS, budget: { share: SHARE, maxWaitMs: 10_000 }, tickMs: 3600_000, concurrency: 8 },
    );
    const started = performance.now();
    const report = await filler.tick();
    const seconds = (performance.now() - started) / 1000;
    const counted = await calls();
    const listPages = counted['GET /api/v2/connections'] ?? 0;
    const keyReads = counted['GET /api/v2/connections/{id}/keys'] ?? 0;
    const requests = listPages + keyReads;
    const refused = counted.rate_limited ?? 0;
    const rows = (await store.inventory(tenant.domain)).length;
    const fullFloor = requests / REFILL;
    // What the bucket held at the start is spent at once: the first `capacity × share` requests cost no time.
    const shareFloor = Math.max(0, requests - CAPACITY * SHARE) / (REFILL * SHARE);
    console.log(
      `tenant: ${CONNECTIONS} generated connections + the seed; rate limit: bucket ${CAPACITY}, refill ${REFILL}/s`,
    );
    console.log(
      `inventory share: ${SHARE}; filler concurrency 8; learnt pace ${filler.budget.pace()?.toFixed(1) ?? '—'}/s`,
    );
    console.log(
      `rows: ${rows} (read ${report.read}); requests: ${requests} (${listPages} list pages + ${keyReads} key reads)`,
    );
    console.log(`wall time: ${seconds.toFixed(1)} s`);
    console.log(
      `floor at the full rate (requests / refill): ${fullFloor.toFixed(1)} s → ratio ${(seconds / fullFloor).toFixed(2)}`,
    );
    console.log(
      `floor at the inventory's share (bucket share free, then share × refill): ${shareFloor.toFixed(1)} s → ratio ${(seconds / shareFloor).toFixed(2)}`,
    );
    console.log(`429 responses: ${refused}`);
    await store.close();
    if (refused > 0) process.exitCode = 1;
  } finally {
    emulator.kill();
  }
}

await main();
