/**
 * How long an emulated rotation takes per algorithm, through the official SDK (maxRetries 0, as the app
 * calls it). RSA key generation dominates RS256; the ES256 figure is the HTTP + certificate baseline
 * measured in the same run. Run: `npx tsx bench/emulator-rotate.ts [rounds]`.
 */
import { ManagementClient } from 'auth0';
import { SEED_CLIENTS, SEED_CONNECTIONS } from '../emulator/seed';
import { startEmulator } from '../emulator/server';
import { type SigningAlg, TENANT_DOMAIN } from '../emulator/tenant';
import { originRewritingFetch } from '../lib/auth0/origin-fetch';

const ROUNDS = Number(process.argv[2] ?? 30);
const WARMUP = 3;

const emulator = await startEmulator({ rateLimit: { capacity: 10_000, refillPerSecond: 10_000 } });
const sdk = new ManagementClient({
  domain: TENANT_DOMAIN,
  clientId: SEED_CLIENTS.m2m.client_id,
  clientSecret: SEED_CLIENTS.m2m.client_secret,
  fetch: originRewritingFetch(TENANT_DOMAIN, emulator.url),
  maxRetries: 0,
});

const targets: Record<'RS256' | 'ES256', string> = {
  RS256: SEED_CONNECTIONS.oktaAcme.id,
  ES256: SEED_CONNECTIONS.oktaInitech.id,
};

async function rotateOnce(alg: SigningAlg, id: string): Promise<number> {
  const started = performance.now();
  await sdk.connections.keys.rotate(id, { signing_alg: alg });
  return performance.now() - started;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN;

try {
  // Token fetch and seeded-key generation happen here, not in the measured rounds.
  for (const [alg, id] of Object.entries(targets) as Array<[SigningAlg, string]>) {
    for (let i = 0; i < WARMUP; i++) await rotateOnce(alg, id);
  }
  const samples: Record<string, number[]> = { RS256: [], ES256: [] };
  // Interleaved so that drift (GC, CPU frequency, other load) hits both algorithms alike.
  for (let i = 0; i < ROUNDS; i++) {
    for (const [alg, id] of Object.entries(targets) as Array<[SigningAlg, string]>)
      samples[alg]?.push(await rotateOnce(alg, id));
  }
  const rows = Object.entries(samples).map(([alg, values]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return {
      alg,
      n: sorted.length,
      median: percentile(sorted, 0.5),
      p95: percentile(sorted, 0.95),
      max: sorted.at(-1) ?? NaN,
    };
  });
  console.log(`emulator rotate via SDK, ${ROUNDS} rounds each (interleaved, after ${WARMUP} warm-up rotations)`);
  console.log('alg     n   median ms   p95 ms   max ms');
  for (const row of rows) {
    console.log(
      `${row.alg.padEnd(6)} ${String(row.n).padStart(3)}   ${row.median.toFixed(1).padStart(9)}   ${row.p95.toFixed(1).padStart(6)}   ${row.max.toFixed(1).padStart(6)}`,
    );
  }
  const [rs, es] = rows;
  if (rs && es) {
    console.log(
      `ratio RS256/ES256: median ${(rs.median / es.median).toFixed(1)}x, p95 ${(rs.p95 / es.p95).toFixed(1)}x`,
    );
  }
} finally {
  await emulator.close();
}
