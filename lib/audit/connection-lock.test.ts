import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { deferred } from '@/lib/testing/deferred';
import { advisoryKey } from './chain';
import { ConnectionLockedError } from './index';
import { auditBackends, type Scratch } from './test-backends';

const backends = await auditBackends('lib/audit/connection-lock.test.ts');

const alice = { sub: 'auth0|alice', email: 'alice@acme.com', name: 'Alice' };
const bob = { sub: 'auth0|bob', email: 'bob@acme.com', name: 'Bob' };

describe.each(backends)('rotation lock on %s', (_, backend) => {
  const it = backend.available ? test : test.skip;
  let scratch: Scratch;
  beforeAll(async () => {
    if (backend.available) scratch = await backend.fresh();
  });
  afterAll(async () => scratch?.close());

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => error,
    );

  it('refuses a second holder in the same process and names the first', async () => {
    const connectionId = `con_${randomUUID()}`;
    const result = await scratch.store.withConnectionLock(connectionId, alice, async () => {
      const error = await refusal(scratch.store.withConnectionLock(connectionId, bob, async () => 'ran'));
      expect(error).toBeInstanceOf(ConnectionLockedError);
      expect(error).toMatchObject({ connectionId, holder: { sub: alice.sub, email: alice.email, name: alice.name } });
      expect(String(error)).toContain('alice@acme.com');
      return 'done';
    });
    expect(result).toBe('done');
  });

  it('lets exactly one of two simultaneous callers in', async () => {
    const connectionId = `con_${randomUUID()}`;
    let inside = 0;
    // Whoever gets in stays in until the other caller has been answered (or, were the lock broken, has got in too).
    const release = deferred();
    const bothInside = deferred();
    const calls = [alice, bob].map((holder) =>
      scratch.store.withConnectionLock(connectionId, holder, async () => {
        inside += 1;
        if (inside === 2) bothInside.resolve();
        await release.promise;
        return holder.sub;
      }),
    );
    await Promise.race([...calls.map((call) => call.catch(() => {})), bothInside.promise]);
    release.resolve();
    const results = await Promise.allSettled(calls);
    expect(inside).toBe(1);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
  });

  it('does not block other connections', async () => {
    const [a, b] = [`con_${randomUUID()}`, `con_${randomUUID()}`];
    const both = await scratch.store.withConnectionLock(a, alice, () =>
      scratch.store.withConnectionLock(b, bob, async () => 'both held'),
    );
    expect(both).toBe('both held');
  });

  it('is released, with its holder row, after fn throws', async () => {
    const connectionId = `con_${randomUUID()}`;
    await expect(
      scratch.store.withConnectionLock(connectionId, alice, async () => {
        // Only another instance reads the row, and PGlite has none: there the lock is this process's memory.
        expect(
          await scratch.sql(`select holder_sub from rotation_locks where connection_id = '${connectionId}'`),
        ).toEqual(backend.kind === 'postgres' ? [{ holder_sub: alice.sub }] : []);
        throw new Error('rotate failed');
      }),
    ).rejects.toThrow('rotate failed');
    expect(await scratch.sql(`select 1 from rotation_locks where connection_id = '${connectionId}'`)).toEqual([]);
    await expect(scratch.store.withConnectionLock(connectionId, bob, async () => 'next')).resolves.toBe('next');
  });

  it('ignores a stale holder row whose lock is free (a crashed instance)', async () => {
    const connectionId = `con_${randomUUID()}`;
    await scratch.sql(
      `insert into rotation_locks (connection_id, holder_sub) values ('${connectionId}', 'auth0|ghost')`,
    );
    await expect(scratch.store.withConnectionLock(connectionId, bob, async () => 'ran')).resolves.toBe('ran');
  });

  // PGlite is one process's database: there is no second instance to refuse.
  if (backend.kind === 'postgres') {
    it('holds its advisory locks on pooled connections: one after another reuse the same one', async () => {
      const pids = new Set<unknown>();
      for (let i = 0; i < 5; i++) {
        const connectionId = `con_${randomUUID()}`;
        const key = BigInt.asUintN(64, BigInt(advisoryKey(`connection:${connectionId}`)));
        await scratch.store.withConnectionLock(connectionId, alice, async () => {
          const rows = await scratch.sql(
            `select pid from pg_locks where locktype = 'advisory' and granted and classid = ${key >> 32n} and objid = ${key & 0xffffffffn}`,
          );
          expect(rows).toHaveLength(1);
          for (const row of rows) pids.add(row.pid);
        });
      }
      expect(pids.size).toBe(1);
    });

    it('refuses a holder in another app instance (a second store) and names the first', async () => {
      const other = await scratch.secondStore();
      const connectionId = `con_${randomUUID()}`;
      const inside = deferred();
      const entered = deferred();
      const first = scratch.store.withConnectionLock(connectionId, alice, async () => {
        entered.resolve();
        await inside.promise;
      });
      await entered.promise;
      const error = await refusal(other.withConnectionLock(connectionId, bob, async () => 'ran'));
      expect(error).toBeInstanceOf(ConnectionLockedError);
      expect(error).toMatchObject({ holder: { sub: alice.sub, email: alice.email } });
      expect((error as ConnectionLockedError).holder?.since).toBeInstanceOf(Date);
      inside.resolve();
      await first;
      await expect(other.withConnectionLock(connectionId, bob, async () => 'ran')).resolves.toBe('ran');
    });
  }
});
