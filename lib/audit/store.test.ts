import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { databaseConfig } from '@/lib/config';
import {
  type AuditEvent,
  AuditInputError,
  type AuditStore,
  auditStoreOptions,
  hashEvent,
  openAuditStore,
} from './index';
import { auditBackends, type Scratch } from './test-backends';

const backends = await auditBackends('lib/audit/store.test.ts');

const signin = (n: number) => ({
  type: 'auth.signin' as const,
  actorSub: `auth0|user${n}`,
  actorEmail: `u${n}@acme.com`,
});

async function appendSome(store: AuditStore, count: number) {
  const events = [];
  for (let n = 0; n < count; n++) events.push(await store.append(signin(n)));
  return events;
}

test.each([
  [{}, { dataDir: 'data/audit' }],
  [{ KEYSHIFT_DATA_DIR: '/var/lib/keyshift' }, { dataDir: '/var/lib/keyshift/audit' }],
  [{ DATABASE_URL: 'postgres://db/keyshift', KEYSHIFT_DATA_DIR: '/x' }, { databaseUrl: 'postgres://db/keyshift' }],
  [{ DATABASE_URL: '  ' }, { dataDir: 'data/audit' }],
])('the process-wide store for env %j opens %j', (env, expected) => {
  expect(auditStoreOptions(databaseConfig(env))).toEqual(expected);
});

test('a PGlite directory is opened by one store at a time, and keeps its chain across restarts', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'keyshift-audit-'));
  try {
    const first = await openAuditStore({ dataDir: dir });
    try {
      await first.append(signin(1));
      await expect(openAuditStore({ dataDir: dir })).rejects.toThrow(/already open \(process \d+, this one\)/);
    } finally {
      await first.close();
    }
    // A claim left by a process that no longer runs (a crash) does not lock the trail out.
    await writeFile(path.join(dir, 'keyshift.pid'), '999999999');
    const reopened = await openAuditStore({ dataDir: dir });
    await reopened.append(signin(2));
    expect(await reopened.verify()).toMatchObject({ ok: true, checked: 2 });
    await reopened.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

describe.each(backends)('audit chain on %s', (_, backend) => {
  const it = backend.available ? test : test.skip;
  let shared: Scratch;
  beforeAll(async () => {
    if (backend.available) shared = await backend.fresh();
  });
  afterAll(async () => shared?.close());

  it('appends events into one chain that verifies', async () => {
    const [first, second] = await appendSome(shared.store, 3);
    expect(first?.prevHash).toBe('0'.repeat(64));
    expect(second?.prevHash).toBe(first?.hash);
    expect(second?.id).toBeGreaterThan(first?.id ?? Number.POSITIVE_INFINITY);
    expect(await shared.store.get(first?.id ?? 0)).toEqual(first);
    const result = await shared.store.verify();
    expect(result).toMatchObject({ ok: true, checked: 3 });
    expect(result.firstBroken).toBeUndefined();
  });

  it('stores every field and round-trips details', async () => {
    const requestId = randomUUID();
    const stored = await shared.store.append({
      type: 'rotation.requested',
      actorSub: 'auth0|ops',
      actorEmail: 'Ops@Acme.com',
      actorName: 'Ops',
      tenant: 'acme.auth0.com',
      connectionId: 'con_1',
      connectionName: 'acme-okta',
      algorithm: 'RS256',
      requestId,
      clientIp: '203.0.113.9',
      userAgent: 'Mozilla/5.0\0',
      durationMs: 12.6,
      previousKid: 'kid-0',
      details: { b: [1, { z: true, a: null }], a: 'x' },
    });
    expect(stored).toMatchObject({
      durationMs: 13,
      userAgent: 'Mozilla/5.0\uFFFD',
      details: { a: 'x', b: [1, { a: null, z: true }] },
    });
    expect(await shared.store.eventsForRequest(requestId)).toEqual([stored]);
    expect((await shared.store.verify()).ok).toBe(true);
  });

  it.each([
    [{ type: 'rotation.requested', connectionId: 'con_1' }, 'requestId'],
    [{ type: 'rotation.succeeded', requestId: 'r' }, 'connectionId'],
    [{ type: 'nope' }, 'type'],
    [{ type: 'auth.signin', status: 42 }, 'status'],
    [{ type: 'auth.signin', actor: 'x' }, 'actor'],
  ])('refuses invalid input %j', async (input, field) => {
    const error = await shared.store.append(input as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditInputError);
    expect(String(error)).toContain(field);
  });

  it('refuses a second request with the same requestId and an outcome for another connection', async () => {
    const requestId = randomUUID();
    await shared.store.append({ type: 'rotation.requested', connectionId: 'con_a', requestId });
    await expect(shared.store.append({ type: 'rotation.requested', connectionId: 'con_a', requestId })).rejects.toThrow(
      /already requested/,
    );
    await expect(shared.store.append({ type: 'rotation.failed', connectionId: 'con_b', requestId })).rejects.toThrow(
      /requested for con_a/,
    );
  });

  it.each([
    ['update', 'update audit_events set message = $$x$$'],
    ['delete', 'delete from audit_events'],
    ['truncate', 'truncate audit_events'],
  ])('the database refuses %s', async (_, statement) => {
    await appendSome(shared.store, 1);
    await expect(shared.sql(statement)).rejects.toThrow(/append-only/);
    expect((await shared.store.verify()).ok).toBe(true);
  });

  describe('tampering through SQL (trigger disabled, as an owner could)', () => {
    let scratch: Scratch;
    let ids: number[];
    const tamper = async (statements: string[]) => {
      await scratch.sql('alter table audit_events disable trigger user');
      for (const statement of statements) await scratch.sql(statement);
      await scratch.sql('alter table audit_events enable trigger user');
    };
    beforeAll(async () => {
      if (backend.available) scratch = await backend.fresh();
    });
    afterAll(async () => scratch?.close());
    beforeEach(async () => {
      if (!backend.available) return;
      await tamper(['truncate audit_events restart identity']);
      ids = (await appendSome(scratch.store, 5)).map((event) => event.id);
    });

    it.each([
      ['an edited field', [`update audit_events set actor_email = 'x@evil.com' where id = 3`], 3, 'edited'],
      [
        'an edited timestamp',
        [`update audit_events set occurred_at = occurred_at - interval '1 day' where id = 4`],
        4,
        'edited',
      ],
      ['a deleted event', ['delete from audit_events where id = 3'], 4, 'deleted'],
      ['a deleted first event', ['delete from audit_events where id = 1'], 2, 'genesis'],
      [
        'two events swapped',
        [
          'update audit_events set id = -id where id in (2, 3)',
          'update audit_events set id = case id when -2 then 3 else 2 end where id < 0',
        ],
        2,
        'reordered',
      ],
    ])('finds %s and names the first broken event', async (_, statements, brokenAt, reason) => {
      expect(ids).toEqual([1, 2, 3, 4, 5]);
      await tamper(statements);
      const result = await scratch.store.verify();
      expect(result.ok).toBe(false);
      expect(result.firstBroken).toEqual({ id: brokenAt, reason: expect.stringContaining(reason) });
    });

    it('finds an edit whose hash was recomputed, at the next link', async () => {
      const victim = (await scratch.store.get(3)) as AuditEvent;
      const { hash: _, ...content } = { ...victim, actorEmail: 'x@evil.com' };
      await tamper([`update audit_events set actor_email = 'x@evil.com', hash = '${hashEvent(content)}' where id = 3`]);
      const result = await scratch.store.verify();
      expect(result.firstBroken).toEqual({ id: 4, reason: expect.stringContaining('prevHash does not match') });
    });

    it('finds a well-hashed event inserted with a time earlier than its predecessor', async () => {
      const last = (await scratch.store.get(5)) as AuditEvent;
      const forged = { ...last, id: 6, occurredAt: new Date(last.occurredAt.getTime() - 60_000), prevHash: last.hash };
      const { hash: _, ...content } = forged;
      await tamper([
        `insert into audit_events (id, occurred_at, type, prev_hash, hash, actor_sub, actor_email)
         values (6, '${forged.occurredAt.toISOString()}', '${forged.type}', '${forged.prevHash}',
                 '${hashEvent({ ...content, actorSub: 'auth0|user4', actorEmail: 'u4@acme.com' })}', 'auth0|user4', 'u4@acme.com')`,
      ]);
      const result = await scratch.store.verify();
      expect(result.firstBroken).toEqual({ id: 6, reason: expect.stringContaining('earlier than event 5') });
    });
  });

  it('keeps one linear chain under 50 concurrent appends from two store instances', async () => {
    const scratch = await backend.fresh();
    try {
      const other = await scratch.secondStore();
      const stores = [scratch.store, other];
      const appended = await Promise.all(
        Array.from({ length: 50 }, (_, n) => (stores[n % 2] as AuditStore).append(signin(n))),
      );
      expect(new Set(appended.map((event) => event.id)).size).toBe(50);
      expect(new Set(appended.map((event) => event.prevHash)).size).toBe(50);
      expect(await scratch.store.verify()).toMatchObject({ ok: true, checked: 50 });
    } finally {
      await scratch.close();
    }
  });

  it('lists rotations requested long enough ago that have no outcome yet', async () => {
    const [settled, dangling, fresh] = [randomUUID(), randomUUID(), randomUUID()];
    // One pending request per connection (the store refuses a second): the two left pending are on two connections.
    const connectionId = `con_${randomUUID()}`;
    const [first, second] = [`${connectionId}-1`, `${connectionId}-2`];
    await shared.store.append({ type: 'rotation.requested', connectionId: first, requestId: settled });
    await shared.store.append({ type: 'rotation.unknown', connectionId: first, requestId: settled });
    await shared.store.append({ type: 'rotation.requested', connectionId: first, requestId: dangling });
    await shared.store.append({ type: 'rotation.requested', connectionId: second, requestId: fresh });
    // The database clock stamps every event and the store takes no other clock: rather than wait for time to pass,
    // the requests are dated back (the first two by an hour, the last by a minute), and dated forward again after.
    const shift = async (sign: '-' | '+') => {
      await shared.sql('alter table audit_events disable trigger user');
      await shared.sql(
        `update audit_events
         set occurred_at = occurred_at ${sign} (case request_id when '${fresh}' then interval '1 minute' else interval '1 hour' end)
         where type = 'rotation.requested' and request_id in ('${settled}', '${dangling}', '${fresh}')`,
      );
      await shared.sql('alter table audit_events enable trigger user');
    };
    await shift('-');
    try {
      const found = (await shared.store.danglingRequests(10 * 60_000)).filter((event) =>
        event.connectionId?.startsWith(connectionId),
      );
      expect(found.map((event) => event.requestId)).toEqual([dangling]);
      const all = (await shared.store.danglingRequests(0)).filter((event) =>
        event.connectionId?.startsWith(connectionId),
      );
      expect(all.map((event) => event.requestId)).toEqual([dangling, fresh]);
    } finally {
      await shift('+');
    }
    expect((await shared.store.verify()).ok).toBe(true);
  });
});
