import { afterEach, describe, expect, test } from 'vitest';
import type { AuditStore } from '@/lib/audit';
import { auditBackends, type Scratch } from '@/lib/audit/test-backends';
import type { ConnectionKey, RotatedKey } from '@/lib/auth0/types';
import { deferred } from '@/lib/testing/deferred';
import { rotateConnection } from './rotate';
import { settleDanglingRotations } from './settle-dangling';
import { storeDanglingDependencies } from './settle-dangling-store';
import { testKey as key, testConnection } from './test-keys';
import type { RotationDependencies } from './types';

/**
 * A rolling deploy: instance 1 is mid-rotation (Auth0 holds its rotate call) when instance 2 starts and settles
 * dangling requests. On PostgreSQL the two are two stores (two pools) on one database; on PGlite, one process's
 * database, the second "instance" is the periodic settler of the same process, on the same store.
 */
const backends = await auditBackends('lib/rotation/settle-dangling-store.test.ts');

const connection = testConnection();
const newKey: RotatedKey = {
  kid: 'd',
  cert: 'pem',
  pkcs: null,
  next: true,
  fingerprint: 'F:d',
  thumbprint: 'Td',
  algorithm: 'RS256',
  keyUse: 'signing',
  subjectDn: 'CN=acme',
};

/** The tenant: its keys, and a rotate call held until the test lets Auth0 answer. */
function tenant() {
  let keys: ConnectionKey[] = [key('a', 'previous'), key('b', 'current'), key('c', 'next')];
  const reached = deferred();
  const answer = deferred();
  return {
    listKeys: async () => keys,
    reached: reached.promise,
    answer: () => answer.resolve(),
    rotate: async () => {
      reached.resolve();
      await answer.promise;
      keys = [key('b', 'previous'), key('c', 'current'), key('d', 'next')];
      return newKey;
    },
  };
}

function rotationOn(store: AuditStore, upstream: ReturnType<typeof tenant>, requestId: string) {
  const deps: RotationDependencies = {
    tenant: 'demo-tenant.local',
    getConnection: async () => connection,
    listKeys: upstream.listKeys,
    rotate: upstream.rotate,
    appendAudit: async (entry) => {
      await store.append(entry);
    },
    withConnectionLock: (id, holder, run) => store.withConnectionLock(id, holder, run),
    now: () => performance.now(),
    wallClock: () => Date.now(),
    sleep: async () => {},
    settleGraceMs: 0,
    logError: () => {},
    lastRotation: async () => null,
    nextKeyReadiness: async () => ({ state: 'ready', reason: 'The IdP admin confirmed the next key.' }),
  };
  return rotateConnection(deps, {
    connectionId: connection.id,
    signingAlg: 'RS256',
    confirmName: connection.name,
    user: { sub: 'auth0|alice', email: 'alice@example.com', name: 'Alice' },
    requestId,
    clientIp: null,
    userAgent: null,
    expectedCurrentKid: 'b',
    expectedNextKid: 'c',
  });
}

describe.each(backends)('a second instance starting during a rotation, on %s', (_, backend) => {
  const it = backend.available ? test : test.skip;
  let scratch: Scratch | undefined;
  afterEach(async () => {
    await scratch?.close();
    scratch = undefined;
  });

  it('while the first holds the lock: the second settles nothing; the rotation ends with its one outcome', async () => {
    scratch = await backend.fresh();
    const [first, second] = [scratch.store, await scratch.secondStore()];
    const upstream = tenant();
    const rotation = rotationOn(first, upstream, 'req-rolling-1');
    await upstream.reached;

    const settled = await settleDanglingRotations(storeDanglingDependencies(second, { listKeys: upstream.listKeys }));
    expect(settled).toBe(0);

    upstream.answer();
    await expect(rotation).resolves.toMatchObject({ key: { kid: 'd' } });
    const events = await first.eventsForRequest('req-rolling-1');
    expect(events.map((event) => event.type)).toEqual(['rotation.requested', 'rotation.succeeded']);
  });

  it('listed as dangling before the first finished, settled after: no second outcome', async () => {
    scratch = await backend.fresh();
    const [first, second] = [scratch.store, await scratch.secondStore()];
    const upstream = tenant();
    const rotation = rotationOn(first, upstream, 'req-rolling-2');
    await upstream.reached;

    const wiring = storeDanglingDependencies(second, { listKeys: upstream.listKeys });
    const listed = deferred<number>();
    const firstDone = deferred();
    const settling = settleDanglingRotations({
      ...wiring,
      danglingRequests: async () => {
        const found = await wiring.danglingRequests();
        listed.resolve(found.length);
        // The first instance finishes (records its outcome, frees the lock) before the second takes the lock.
        await firstDone.promise;
        return found;
      },
    });
    expect(await listed.promise).toBe(1);
    upstream.answer();
    await rotation;
    firstDone.resolve();

    expect(await settling).toBe(0);
    const events = await first.eventsForRequest('req-rolling-2');
    expect(events.map((event) => event.type)).toEqual(['rotation.requested', 'rotation.succeeded']);
  });
});
