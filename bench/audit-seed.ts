import 'server-only';
import { sql } from 'drizzle-orm';
import { GENESIS_HASH, hashEvent } from '../lib/audit/chain';
import type { AuditDatabase } from '../lib/audit/database';
import { pendingRotations } from '../lib/audit/schema';
import type { AuditEvent } from '../lib/audit/types';

/**
 * Bulk-loads a valid chain of synthetic events: rows are generated and hashed here, then inserted 5,000 at a time
 * through jsonb_to_recordset (one parameter per batch, the same SQL on PostgreSQL and PGlite), bypassing the
 * one-lock-per-append path that production uses. The mix: 60% rotations (requested + outcome: 85% succeeded,
 * 10% failed, 5% unknown), 25% sign-ins, 12% denials, 3% external rotations; 100 connections, 20 operators.
 */
export const CONNECTIONS = 100;
export const ACTORS = 20;
const BATCH = 5_000;

export const connectionName = (n: number) => `con_${String(n).padStart(3, '0')}`;
export const actorEmail = (n: number) => `user${String(n).padStart(2, '0')}@acme.com`;

function random(seed: number) {
  // mulberry32: a small seeded generator, so every run seeds the same data.
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Row = Omit<AuditEvent, 'hash'>;
const blank = {
  actorSub: null,
  actorEmail: null,
  actorName: null,
  tenant: 'acme.auth0.com',
  connectionId: null,
  connectionName: null,
  algorithm: null,
  requestId: null,
  clientIp: '203.0.113.10',
  userAgent: 'Mozilla/5.0 (bench)',
  status: null,
  errorCode: null,
  message: null,
  newKid: null,
  newFingerprint: null,
  previousKid: null,
  durationMs: null,
  details: null,
  requestedEventId: null,
} satisfies Partial<Row>;

function* generate(count: number): Generator<Omit<Row, 'id' | 'occurredAt' | 'prevHash'>[]> {
  const next = random(42);
  const pick = (n: number) => Math.floor(next() * n);
  let made = 0;
  let rotation = 0;
  while (made < count) {
    const actorN = pick(ACTORS);
    const actor = { actorSub: `auth0|user${actorN}`, actorEmail: actorEmail(actorN), actorName: `User ${actorN}` };
    const connection = { connectionId: connectionName(pick(CONNECTIONS)), connectionName: 'acme-okta' };
    const roll = next();
    if (roll < 0.6 && made + 2 <= count) {
      const requestId = `bench-${++rotation}`;
      const outcome = next();
      const type = outcome < 0.85 ? 'rotation.succeeded' : outcome < 0.95 ? 'rotation.failed' : 'rotation.unknown';
      const base = { ...blank, ...actor, ...connection, algorithm: 'RS256', requestId, previousKid: `kid-${rotation}` };
      // One in a thousand is still in progress (no outcome): the rows the in-progress filter has to find.
      if (next() < 0.001) {
        yield [{ ...base, type: 'rotation.requested' }];
        made += 1;
        continue;
      }
      yield [
        { ...base, type: 'rotation.requested' },
        { ...base, type, newKid: type === 'rotation.succeeded' ? `kid-${rotation + 1}` : null, durationMs: 800 },
      ];
      made += 2;
    } else if (roll < 0.85) {
      yield [{ ...blank, ...actor, type: 'auth.signin' }];
      made += 1;
    } else if (roll < 0.97) {
      yield [{ ...blank, ...actor, ...connection, type: 'access.denied', details: { action: 'keys:rotate' } }];
      made += 1;
    } else {
      yield [
        { ...blank, ...connection, type: 'rotation.external', newKid: 'kid-x', details: { logId: `log_${made}` } },
      ];
      made += 1;
    }
  }
}

const columns = `id bigint, occurred_at timestamptz, type text, actor_sub text, actor_email text, actor_name text,
  tenant text, connection_id text, connection_name text, algorithm text, request_id text, client_ip text,
  user_agent text, status integer, error_code text, message text, new_kid text, new_fingerprint text,
  previous_kid text, duration_ms integer, details jsonb, requested_event_id bigint, prev_hash text, hash text`;
const names = columns.replaceAll(/ (bigint|timestamptz|text|integer|jsonb)/g, '');

const snake = (row: AuditEvent) =>
  Object.fromEntries(
    Object.entries(row).map(([key, value]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value]),
  );

/**
 * Appends `count` chained events to an empty table; returns the seconds it took. Secondary indexes are dropped for
 * the load and rebuilt after it (the usual bulk-load path: one sort per index instead of a million insertions).
 */
export async function seed(database: AuditDatabase, count: number, onProgress?: (done: number) => void) {
  const started = performance.now();
  const indexes = (await database.execute(
    "select indexname, indexdef from pg_indexes where tablename = 'audit_events' and indexname <> 'audit_events_pkey'",
  )) as { indexname: string; indexdef: string }[];
  for (const { indexname } of indexes) await database.execute(`drop index ${indexname}`);
  const start = Date.now() - count * 1000;
  let prevHash = GENESIS_HASH;
  let id = 0;
  let rows: AuditEvent[] = [];
  const requestedIds = new Map<string, number>();
  const flush = async () => {
    const json = JSON.stringify(rows.map(snake));
    await database.db.execute(
      sql`insert into audit_events (${sql.raw(names)}) select * from jsonb_to_recordset(${json}::jsonb) as r(${sql.raw(columns)})`,
    );
    rows = [];
    onProgress?.(id);
  };
  for (const group of generate(count)) {
    for (const event of group) {
      id += 1;
      const requestedEventId =
        event.type === 'rotation.requested' ? null : (requestedIds.get(event.requestId ?? '') ?? null);
      if (event.type === 'rotation.requested') requestedIds.set(event.requestId ?? '', id);
      else if (event.requestId) requestedIds.delete(event.requestId);
      const row: Row = { ...event, id, occurredAt: new Date(start + id * 1000), requestedEventId, prevHash };
      const hash = hashEvent(row);
      rows.push({ ...row, hash });
      prevHash = hash;
    }
    if (rows.length >= BATCH) await flush();
  }
  if (rows.length) await flush();
  for (const { indexdef } of indexes) await database.execute(indexdef);
  // Requests left without an outcome are the rotations in progress, as append() would have recorded them.
  const pending = [...requestedIds.values()].map((requestedEventId) => ({ requestedEventId }));
  if (pending.length) await database.db.insert(pendingRotations).values(pending);
  await database.db.execute(sql`select setval(pg_get_serial_sequence('audit_events', 'id'), ${id})`);
  await database.db.execute(sql`analyze audit_events`);
  return (performance.now() - started) / 1000;
}
