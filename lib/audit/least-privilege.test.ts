import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { auditDependencies } from '@/lib/rotation/audit-wiring';
import { rotateConnection } from '@/lib/rotation/rotate';
import { testConnection, testKey } from '@/lib/rotation/test-keys';
import { type AuditStore, openAuditStore } from './index';
import { auditBackends, createScratchDatabase, dropScratchDatabase, withAdmin } from './test-backends';

/**
 * The app on a role that can only read and append (lib/audit/README.md lists its grants, and this test runs that very
 * snippet); migrations on the owner's URL. The role can rotate, list and verify, and cannot change or drop history.
 */
const [, postgres] = (await auditBackends('lib/audit/least-privilege.test.ts'))[1] ?? [];
if (!postgres) throw new Error('auditBackends lists PostgreSQL second');
const it = postgres.available ? test : test.skip;

async function readmeGrants(role: string): Promise<string> {
  const readme = await readFile('lib/audit/README.md', 'utf8');
  const block = /```sql\n(-- The app's role[\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('lib/audit/README.md has no grants snippet');
  return block.replaceAll('keyshift_app', role);
}

describe(`the app's role on ${postgres.name} holds only what it uses`, () => {
  const role = `keyshift_app_${randomBytes(4).toString('hex')}`;
  let database: { name: string; url: string };
  let appUrl: string;
  let store: AuditStore;

  beforeAll(async () => {
    if (!postgres.available) return;
    database = await createScratchDatabase();
    await withAdmin((client) => client.query(`create role ${role} login`));
    const url = new URL(database.url);
    url.username = role;
    appUrl = url.toString();
    store = await openAuditStore({ databaseUrl: appUrl, migrationUrl: database.url });
    const owner = new pg.Client({ connectionString: database.url });
    await owner.connect();
    try {
      await owner.query(await readmeGrants(role));
    } finally {
      await owner.end();
    }
  });
  afterAll(async () => {
    if (!postgres.available) return;
    await store?.close();
    await dropScratchDatabase(database.name);
    await withAdmin((client) => client.query(`drop role if exists ${role}`));
  });

  it('rotates, appends, lists and verifies as that role, which does not own the table', async () => {
    const owner = new pg.Client({ connectionString: database.url });
    await owner.connect();
    const tables = await owner.query(`select tableowner from pg_tables where tablename = 'audit_events'`);
    await owner.end();
    expect(tables.rows).toEqual([{ tableowner: new URL(database.url).username }]);

    const connectionId = `con_${randomUUID()}`;
    const rotate = vi.fn(async () => ({ ...testKey('d', 'next'), pkcs: null, subjectDn: 'CN=acme', next: true }));
    const before = [testKey('a', 'previous'), testKey('b', 'current'), testKey('c', 'next')];
    const requestId = randomUUID();
    const result = await rotateConnection(
      {
        tenant: 'demo-tenant.local',
        getConnection: async (id) => testConnection(id),
        listKeys: async () => before,
        rotate,
        ...auditDependencies(async () => store),
        now: () => performance.now(),
        wallClock: () => Date.now(),
        sleep: async () => {},
        settleGraceMs: 0,
        logError: () => {},
        lastRotation: async () => null,
        nextKeyReadiness: async () => ({ state: 'ready', reason: 'The IdP admin confirmed the next key.' }),
      },
      {
        connectionId,
        signingAlg: 'RS256',
        confirmName: 'acme-okta',
        expectedCurrentKid: before.find((key) => key.current)?.kid ?? '',
        expectedNextKid: before.find((key) => key.next)?.kid ?? '',
        user: { sub: 'auth0|alice', email: 'alice@example.com', name: 'Alice' },
        requestId,
        clientIp: null,
        userAgent: 'vitest',
      },
    );
    expect(result.key.kid).toBe('d');
    await store.append({ type: 'auth.signin', actorSub: 'auth0|bob' });
    expect((await store.eventsForRequest(requestId)).map((event) => event.type)).toEqual([
      'rotation.requested',
      'rotation.succeeded',
    ]);
    expect((await store.listRotations()).events).toMatchObject([{ requestId, outcome: 'succeeded' }]);
    expect((await store.list()).events).toHaveLength(3);
    expect(await store.danglingRequests(0)).toEqual([]);
    expect(await store.verify()).toMatchObject({ ok: true, checked: 3 });
    let exported = '';
    for await (const chunk of store.exportEvents({ format: 'json' })) exported += chunk;
    expect(JSON.parse(exported).events).toHaveLength(3);
  });

  it('stores how an IdP learns keys, twice, with its events, as that role', async () => {
    const event = { type: 'idp.mode_changed', actorSub: 'auth0|alice', connectionId: 'con_a' } as const;
    const row = {
      tenant: 'demo-tenant.local',
      connectionId: 'con_a',
      mode: 'pasted' as const,
      cacheSeconds: 3600,
      confirmedKid: null,
      confirmedBySub: null,
      confirmedByName: null,
      confirmedByEmail: null,
      confirmedAt: null,
    };
    await store.saveIdpSetting(event, row);
    await store.saveIdpSetting(event, { ...row, mode: 'jwks_url' });
    expect(await store.idpSetting('demo-tenant.local', 'con_a')).toMatchObject({
      mode: 'jwks_url',
      cacheSeconds: 3600,
    });
  });

  it('keeps the key inventory (write, mark, prune) and rotation periods with their events, as that role', async () => {
    const tenant = 'demo-tenant.local';
    const checkedAt = new Date('2026-12-01T00:00:00Z');
    const inventoryRow = {
      tenant,
      connectionId: 'con_a',
      connectionName: 'okta-acme',
      strategy: 'okta',
      keysState: 'not-provisioned' as const,
      keys: [],
      currentKid: null,
      currentAlgorithm: null,
      currentSince: null,
      currentNotAfter: null,
      nextKid: null,
      nextNotAfter: null,
      checkedAt,
      staleSince: null,
      error: null,
    };
    await store.saveInventory([inventoryRow, { ...inventoryRow, connectionId: 'con_b' }]);
    await store.saveInventory([{ ...inventoryRow, strategy: 'oidc' }]);
    expect(await store.markInventoryStale(tenant, ['con_a'], new Date())).toBe(1);
    expect(await store.pruneInventory(tenant, ['con_a'])).toBe(1);
    expect((await store.inventory(tenant)).map((row) => row.strategy)).toEqual(['oidc']);
    const event = { type: 'policy.period_changed', actorSub: 'auth0|alice', connectionId: 'con_a' } as const;
    await store.saveRotationPolicy(event, {
      tenant,
      connectionId: 'con_a',
      periodDays: 90,
      updatedBySub: 'auth0|alice',
    });
    await store.saveRotationPolicy(event, {
      tenant,
      connectionId: 'con_a',
      periodDays: null,
      updatedBySub: 'auth0|alice',
    });
    expect(await store.rotationPolicies(tenant)).toMatchObject([{ connectionId: 'con_a', periodDays: null }]);
  });

  it('keeps the alerts outbox (enqueue, claim, record) and the notifier cursor, as that role', async () => {
    const delivery = {
      id: 'msg_1',
      dedupeKey: 'key.due:demo-tenant.local:con_a:kid:7|webhook|k',
      tenant: 'demo-tenant.local',
      kind: 'key.due',
      connectionId: 'con_a',
      connectionName: 'okta-acme',
      channel: 'webhook' as const,
      target: 'https://hooks.example.com/…',
      targetKey: 'k',
      subject: 'Key rotation due in 7 days',
      payload: { type: 'key.due' },
      nextAttemptAt: new Date(0),
    };
    expect(await store.enqueueDeliveries([delivery, { ...delivery, id: 'msg_2' }])).toBe(1);
    const [claimed] = await store.claimDeliveries(new Date(), 60_000, 10);
    expect(claimed?.attempts).toBe(1);
    await store.recordDelivery('msg_1', { status: 'sent', at: new Date() });
    expect((await store.deliveries('demo-tenant.local', 10))[0]?.status).toBe('sent');
    const start = await store.trailCursor('test-cursor');
    await store.advanceTrailCursor('test-cursor', start + 5);
    await store.advanceTrailCursor('test-cursor', start + 1);
    expect(await store.trailCursor('test-cursor')).toBe(start + 5);
  });

  it('creates and revokes a hand-off link with its events, as that role', async () => {
    const row = {
      id: 'LLLLLLLLLLLLLLLLLLLLLL',
      tenant: 'demo-tenant.local',
      connectionId: 'con_a',
      connectionName: 'okta-a',
      createdBySub: 'auth0|alice',
      createdByName: null,
      createdByEmail: null,
      createdAt: new Date(),
      expiresAt: new Date(Date.now() + 86_400_000),
      revokedAt: null,
      revokedBySub: null,
      revokedByName: null,
      revokedByEmail: null,
    };
    await store.createHandoffLink(
      { type: 'handoff.link_created', actorSub: 'auth0|alice', connectionId: 'con_a' },
      row,
    );
    await store.revokeHandoffLink(
      { type: 'handoff.link_revoked', actorSub: 'auth0|alice', connectionId: 'con_a' },
      row,
      { sub: 'auth0|alice', name: null, email: null },
    );
    expect((await store.handoffLink(row.id))?.revokedBySub).toBe('auth0|alice');
  });

  it.each([
    ['DELETE of an IdP setting', 'delete from idp_settings'],
    ['DELETE of a hand-off link', 'delete from handoff_links'],
    ['DELETE of a rotation period', 'delete from rotation_policies'],
    ['DELETE of an alert delivery', 'delete from notification_deliveries'],
    ['UPDATE', `update audit_events set message = 'edited'`],
    ['DELETE', 'delete from audit_events'],
    ['TRUNCATE', 'truncate audit_events'],
    ['ALTER (disable the trigger)', 'alter table audit_events disable trigger audit_events_append_only'],
    ['DROP TRIGGER', 'drop trigger audit_events_append_only on audit_events'],
    ['DROP TABLE', 'drop table audit_events'],
    ['CREATE TABLE', 'create table shadow_events (id bigint)'],
    ['UPDATE of the pending list', 'update pending_rotations set requested_event_id = 0'],
  ])('refuses %s by that role', async (_label, statement) => {
    const client = new pg.Client({ connectionString: appUrl });
    await client.connect();
    try {
      // "permission denied" / "must be owner": the role's privileges refuse it, not the trigger ("append-only").
      await expect(client.query(statement)).rejects.toThrow(/permission denied|must be owner/);
    } finally {
      await client.end();
    }
  });
});
