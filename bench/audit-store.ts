// The audit store at scale, PostgreSQL and PGlite side by side in one run:
//   node --import tsx bench/audit-store.ts [--events 1000000] [--runs 25] [--verify]
// Seeds N chained events into a fresh, throw-away database on each backend (PostgreSQL: a local database created and
// dropped here; PGlite: a temporary directory), then times the pages the audit screen asks for and one rotation's
// appends. Prints medians in milliseconds and the PostgreSQL / PGlite ratio.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { resolveServerOnlyAsServer } from '../scripts/server-only-condition';

resolveServerOnlyAsServer();
const { openAuditDatabase } = await import('../lib/audit/database');
const { createAuditStore } = await import('../lib/audit/store');
const { actorEmail, connectionName, seed } = await import('./audit-seed');
type AuditStore = import('../lib/audit/store').AuditStore;
type AuditDatabase = import('../lib/audit/database').AuditDatabase;

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '25' },
    verify: { type: 'boolean', default: false },
  },
});
const events = Number(values.events);
const runs = Number(values.runs);
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(new URL(adminUrl).hostname)) {
  throw new Error('The bench creates and drops a database: point BENCH_DATABASE_URL at a local PostgreSQL.');
}

const median = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

async function time(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await fn(); // warm caches and plans; the screen is used repeatedly, not cold
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

const connection = connectionName(42);
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
const operations: [string, (store: AuditStore) => Promise<unknown>][] = [
  ['latest page of events (50)', (s) => s.list({ limit: 50 })],
  ['latest page of rotations (50)', (s) => s.listRotations({ limit: 50 })],
  ['events: connection + failed', (s) => s.list({ filters: { connectionId: connection, outcome: 'failed' } })],
  [
    'rotations: connection + failed',
    (s) => s.listRotations({ filters: { connectionId: connection, outcome: 'failed' } }),
  ],
  [
    'rotations: connection + unknown',
    (s) => s.listRotations({ filters: { connectionId: connection, outcome: 'unknown' } }),
  ],
  ['events: actor (email)', (s) => s.list({ filters: { actor: actorEmail(7).toUpperCase() } })],
  // The seed spaces events one second apart, ending now: this hour sits in the middle of the data.
  [
    'events: one hour, mid-range',
    (s) => s.list({ filters: { from: hoursAgo(events / 7200 + 0.5), to: hoursAgo(events / 7200 - 0.5) } }),
  ],
  [
    'events: one day, mid-range',
    (s) => s.list({ filters: { from: hoursAgo(events / 7200 + 12), to: hoursAgo(events / 7200 - 12) } }),
  ],
  ['rotations: in progress', (s) => s.listRotations({ filters: { outcome: 'in_progress' } })],
  ['page 2 of rotations (cursor)', async (s) => s.listRotations({ cursor: (await s.listRotations({})).nextCursor })],
  [
    'one rotation: append requested + outcome',
    async (s) => {
      const requestId = randomUUID();
      const base = { connectionId: connection, requestId, actorSub: 'auth0|bench', algorithm: 'RS256' };
      await s.append({ type: 'rotation.requested', ...base });
      await s.append({ type: 'rotation.succeeded', ...base, newKid: 'kid-new', durationMs: 700 });
    },
  ],
];

interface Measured {
  seedSeconds: number;
  medians: number[];
  verifySeconds?: number;
}

async function measure(label: string, database: AuditDatabase): Promise<Measured> {
  const store = createAuditStore(database);
  let last = 0;
  const seedSeconds = await seed(database, events, (done) => {
    if (done - last >= 100_000) {
      last = done;
      process.stderr.write(`  ${label}: ${done.toLocaleString('en')} events seeded\n`);
    }
  });
  process.stderr.write(`  ${label}: seeded ${events.toLocaleString('en')} events in ${seedSeconds.toFixed(1)} s\n`);
  const medians: number[] = [];
  for (const [, operation] of operations) medians.push(await time(() => operation(store)));
  let verifySeconds: number | undefined;
  if (values.verify) {
    const started = performance.now();
    const result = await store.verify();
    verifySeconds = (performance.now() - started) / 1000;
    if (!result.ok) throw new Error(`${label}: chain did not verify: ${JSON.stringify(result.firstBroken)}`);
  }
  await store.close();
  return { seedSeconds, medians, verifySeconds };
}

async function onPostgres(): Promise<Measured> {
  const name = `keyshift_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return await measure('PostgreSQL', await openAuditDatabase({ databaseUrl: url.toString() }));
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

async function onPglite(): Promise<Measured> {
  const dir = await mkdtemp(path.join(tmpdir(), 'keyshift-bench-'));
  try {
    return await measure('PGlite', await openAuditDatabase({ dataDir: dir }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const postgres = await onPostgres();
const pglite = await onPglite();

const rows: string[][] = [
  ['operation (median ms)', 'PostgreSQL', 'PGlite', 'PostgreSQL / PGlite'],
  ...operations.map(([name], i) => {
    const a = postgres.medians[i] as number;
    const b = pglite.medians[i] as number;
    return [name, a.toFixed(2), b.toFixed(2), `${(a / b).toFixed(2)}x`];
  }),
  [
    'seed (s, bulk insert + analyze)',
    postgres.seedSeconds.toFixed(1),
    pglite.seedSeconds.toFixed(1),
    `${(postgres.seedSeconds / pglite.seedSeconds).toFixed(2)}x`,
  ],
];
if (postgres.verifySeconds !== undefined && pglite.verifySeconds !== undefined) {
  rows.push([
    'verify whole chain (s, once)',
    postgres.verifySeconds.toFixed(1),
    pglite.verifySeconds.toFixed(1),
    `${(postgres.verifySeconds / pglite.verifySeconds).toFixed(2)}x`,
  ]);
}
const widths = rows[0]?.map((_, c) => Math.max(...rows.map((row) => (row[c] as string).length))) ?? [];
console.log(`\nAudit store, ${events.toLocaleString('en')} events, medians of ${runs} runs after 3 warm-ups:\n`);
for (const [i, row] of rows.entries()) {
  console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  '));
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
