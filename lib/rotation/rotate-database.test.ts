import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { AuditStore } from '@/lib/audit';
import { advisoryKey, CHAIN_LOCK_KEY } from '@/lib/audit/chain';
import { auditBackends, type Scratch } from '@/lib/audit/test-backends';
import type { ConnectionKey, RotatedKey } from '@/lib/auth0/types';
import { deferred } from '@/lib/testing/deferred';
import { auditDependencies } from './audit-wiring';
import { RotationRefused } from './errors';
import { rotationLockId } from './lock-id';
import { rotateConnection } from './rotate';
import { testConnection, testKey } from './test-keys';
import type { RotationDependencies, RotationRequest } from './types';

/**
 * The rotation on a real PostgreSQL store, with Auth0 faked: what happens when the database misbehaves under it
 * (the lock's session killed, the chain lock held by someone else).
 */
const [, postgres] = (await auditBackends('lib/rotation/rotate-database.test.ts'))[1] ?? [];
if (!postgres) throw new Error('auditBackends lists PostgreSQL second');
const it = postgres.available ? test : test.skip;

const before = [testKey('a', 'previous'), testKey('b', 'current'), testKey('c', 'next')];
const newKey: RotatedKey = { ...testKey('d', 'next'), pkcs: null, subjectDn: 'CN=acme', next: true };
const LOCK_TIMEOUT_MS = 1_000;

function rotation(store: AuditStore, listKeys: (id: string) => Promise<ConnectionKey[]> = async () => before) {
  const connectionId = `con_${randomUUID()}`;
  const rotate = vi.fn(async () => newKey);
  const deps: RotationDependencies = {
    tenant: 'demo-tenant.local',
    getConnection: async (id) => testConnection(id),
    listKeys,
    rotate,
    ...auditDependencies(async () => store),
    now: () => performance.now(),
    wallClock: () => Date.now(),
    sleep: async () => {},
    settleGraceMs: 0,
    logError: () => {},
    lastRotation: async () => null,
    nextKeyReadiness: async () => ({ state: 'ready', reason: 'The IdP admin confirmed the next key.' }),
  };
  const request: RotationRequest = {
    connectionId,
    signingAlg: 'RS256',
    confirmName: 'acme-okta',
    expectedCurrentKid: before.find((key) => key.current)?.kid ?? '',
    expectedNextKid: before.find((key) => key.next)?.kid ?? '',
    user: { sub: 'auth0|alice', email: 'alice@example.com', name: 'Alice' },
    requestId: randomUUID(),
    clientIp: null,
    userAgent: 'vitest',
  };
  return {
    deps,
    request,
    rotate,
    run: () =>
      rotateConnection(deps, request).then(
        () => null,
        (error) => error,
      ),
  };
}

describe(`rotation on ${postgres.name} when the database misbehaves`, () => {
  let scratch: Scratch;
  beforeAll(async () => {
    if (postgres.available) scratch = await postgres.fresh({ timeouts: { lockTimeoutMs: LOCK_TIMEOUT_MS } });
  });
  afterAll(async () => scratch?.close());

  it('notices a lock whose session was terminated mid-rotation: refused, rotate never called, audited', async () => {
    const underLock = deferred();
    const terminated = deferred();
    const { request, rotate, run } = rotation(scratch.store, async () => {
      underLock.resolve();
      await terminated.promise;
      return before;
    });
    const result = run();
    await underLock.promise;
    const key = BigInt.asUintN(
      64,
      BigInt(advisoryKey(`connection:${rotationLockId('demo-tenant.local', request.connectionId)}`)),
    );
    const [holder] = await scratch.sql(
      `select pid from pg_locks where locktype = 'advisory' and granted and classid = ${key >> 32n} and objid = ${key & 0xffffffffn}`,
    );
    expect(holder?.pid).toBeDefined();
    expect(await scratch.sql(`select pg_terminate_backend(${holder?.pid}, 5000) as done`)).toEqual([{ done: true }]);
    terminated.resolve();

    const error = await result;
    expect(error).toBeInstanceOf(RotationRefused);
    expect(error).toMatchObject({
      code: 'unavailable',
      message:
        'Keyshift lost its database lock on this connection before calling Auth0, so the rotation was not attempted. Nothing changed in Auth0. Try again.',
    });
    expect(rotate).not.toHaveBeenCalled();
    const events = await scratch.store.eventsForRequest(request.requestId);
    expect(events.map((event) => [event.type, event.errorCode, event.message])).toEqual([
      ['rotation.requested', null, null],
      ['rotation.failed', 'lock_lost', (error as Error).message],
    ]);
    // The lock is free again and the pool still works: the next rotation of the connection goes through.
    const again = rotation(scratch.store);
    again.request.connectionId = request.connectionId;
    expect(await again.run()).toBeNull();
    expect(again.rotate).toHaveBeenCalledTimes(1);
  });

  it('refuses, rotating nothing, while the connection has a request without an outcome (a dead process left it)', async () => {
    const { request, rotate, run } = rotation(scratch.store);
    const left = await scratch.store.append({
      type: 'rotation.requested',
      connectionId: request.connectionId,
      requestId: randomUUID(),
      actorSub: 'auth0|bob',
    });
    expect(await run()).toMatchObject({
      name: 'RotationRefused',
      code: 'conflict',
      message: expect.stringMatching(/^An earlier rotation of this connection has no recorded outcome yet/),
    });
    expect(rotate).not.toHaveBeenCalled();
    expect(await scratch.store.eventsForRequest(request.requestId)).toEqual([]);
    expect((await scratch.store.danglingRequests(0)).map((event) => event.id)).toContain(left.id);
  });

  it('fails in bounded time, rotating nothing, while another session holds the chain lock', async () => {
    const { request, rotate, run } = rotation(scratch.store);
    const other = new pg.Client({ connectionString: scratch.url });
    await other.connect();
    try {
      await other.query('begin');
      await other.query('select pg_advisory_xact_lock($1::bigint)', [CHAIN_LOCK_KEY]);
      const started = performance.now();
      const error = await run();
      const elapsed = performance.now() - started;
      expect(error).toBeInstanceOf(RotationRefused);
      expect(error).toMatchObject({
        code: 'unavailable',
        message: 'The audit trail is busy; the rotation was not attempted. Nothing changed in Auth0.',
      });
      expect(elapsed).toBeGreaterThanOrEqual(LOCK_TIMEOUT_MS - 50);
      expect(elapsed).toBeLessThan(LOCK_TIMEOUT_MS + 2_000);
      expect(rotate).not.toHaveBeenCalled();
    } finally {
      await other.query('rollback');
      await other.end();
    }
    expect(await scratch.store.eventsForRequest(request.requestId)).toEqual([]);
  }, 15_000);

  it('sets bounded waits and keepalive on the pool the store appends through', async () => {
    const rows = await scratch.sql(
      `select current_setting('statement_timeout') as statement, current_setting('lock_timeout') as lock,
        current_setting('idle_in_transaction_session_timeout') as idle, current_setting('tcp_keepalives_idle') as keepalive`,
    );
    expect(rows).toEqual([{ statement: '30s', lock: '1s', idle: '1min', keepalive: '10' }]);
  });
});
