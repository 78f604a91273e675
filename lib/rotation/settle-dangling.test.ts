import { describe, expect, test } from 'vitest';
import type { AuditEvent, AuditEventInput } from '@/lib/audit';
import type { ConnectionKey } from '@/lib/auth0/types';
import { settleDanglingRotations } from './settle-dangling';
import { testKey } from './test-keys';

const key = testKey;

const requestedAt = Date.parse('2030-01-01T00:00:00Z');
const requested = {
  id: 7,
  occurredAt: new Date(requestedAt),
  type: 'rotation.requested',
  requestId: 'req-7',
  connectionId: 'con_AAAAAAAAAAAAAAAA',
  connectionName: 'acme',
  previousKid: 'b',
  actorSub: 'auth0|alice',
  actorEmail: 'alice@example.com',
  actorName: 'Alice',
  tenant: 'demo-tenant.local',
  algorithm: 'ES256',
  clientIp: null,
  userAgent: null,
  details: { promotedKid: 'c' },
} as unknown as AuditEvent;

async function settle(
  keys: ConnectionKey[] | Error,
  locked = false,
  clock = { now: requestedAt + 60_000 },
  request: AuditEvent = requested,
) {
  const written: AuditEventInput[] = [];
  const count = await settleDanglingRotations({
    graceMs: 30_000,
    now: () => clock.now,
    sleep: async () => {},
    danglingRequests: async () => [request],
    stillPending: async () => true,
    listKeys: async () => {
      if (keys instanceof Error) throw keys;
      return keys;
    },
    appendAudit: async (entry) => {
      written.push(entry);
    },
    ifUnlocked: async (_id, run) => {
      if (!locked) await run();
    },
  });
  return { count, written };
}

describe('settleDanglingRotations', () => {
  test('the old current key is no longer current: succeeded, with the new next key', async () => {
    const { count, written } = await settle([key('b', 'previous'), key('c', 'current'), key('d', 'next')]);
    expect(count).toBe(1);
    expect(written[0]).toMatchObject({ type: 'rotation.succeeded', requestId: 'req-7', newKid: 'd', previousKid: 'b' });
  });

  test('the old current key is still current: failed', async () => {
    const { written } = await settle([key('b', 'current'), key('c', 'next')]);
    expect(written[0]).toMatchObject({ type: 'rotation.failed', requestId: 'req-7' });
  });

  test.each([
    ['Auth0 cannot be read', new Error('down'), false],
    ['another instance holds the lock', [key('b', 'current')], true],
  ])('left for later when %s', async (_label, keys, locked) => {
    const { count, written } = await settle(keys as ConnectionKey[] | Error, locked);
    expect(count).toBe(0);
    expect(written).toEqual([]);
  });
});

describe('settleDanglingRotations: the verdict, from the kids the request recorded and the keys now', () => {
  const legacy = { ...requested, details: null } as AuditEvent;
  const UNKNOWN_IN_BETWEEN =
    'Keyshift stopped before recording the outcome; the keys have changed since, but not as this rotation alone would have changed them (another rotation happened in between). Check the keys.';
  const UNKNOWN_LEGACY =
    'Keyshift stopped before recording the outcome; the current key has changed since, but this request did not record the key it would promote, so Keyshift cannot tell whether this rotation changed it. Check the keys.';
  test.each([
    [
      'the promoted kid is now current: succeeded',
      requested,
      [key('b', 'previous'), key('c', 'current'), key('d', 'next')],
      { type: 'rotation.succeeded', newKid: 'd', newFingerprint: 'F:d' },
    ],
    [
      'current and next as recorded: failed',
      requested,
      [key('a', 'previous'), key('b', 'current'), key('c', 'next')],
      { type: 'rotation.failed' },
    ],
    [
      'two rotations since: unknown',
      requested,
      [key('c', 'previous'), key('d', 'current'), key('e', 'next')],
      { type: 'rotation.unknown', message: UNKNOWN_IN_BETWEEN },
    ],
    [
      'the same current but another next: unknown',
      requested,
      [key('b', 'current'), key('x', 'next')],
      { type: 'rotation.unknown', message: UNKNOWN_IN_BETWEEN },
    ],
    [
      'an older request, current unchanged: failed',
      legacy,
      [key('b', 'current'), key('c', 'next')],
      { type: 'rotation.failed' },
    ],
    [
      'an older request, current changed: unknown',
      legacy,
      [key('b', 'previous'), key('c', 'current'), key('d', 'next')],
      { type: 'rotation.unknown', message: UNKNOWN_LEGACY },
    ],
  ])('%s', async (_label, request, keys, expected) => {
    const { count, written } = await settle(keys, false, undefined, request);
    expect(count).toBe(1);
    expect(written).toEqual([expect.objectContaining({ requestId: 'req-7', previousKid: 'b', ...expected })]);
  });

  test('writes what the request recorded, and null where it recorded nothing, never a made-up value', async () => {
    const sparse = {
      ...requested,
      tenant: null,
      actorSub: null,
      actorName: null,
      connectionName: null,
      algorithm: null,
    } as AuditEvent;
    const { written } = await settle([key('b', 'current'), key('c', 'next')], false, undefined, sparse);
    expect(written[0]).toMatchObject({
      tenant: null,
      actorSub: null,
      actorEmail: 'alice@example.com',
      actorName: null,
      connectionId: 'con_AAAAAAAAAAAAAAAA',
      connectionName: null,
      algorithm: null,
      requestId: 'req-7',
    });
  });

  test('a request settled meanwhile by another instance gets no second outcome; pending is asked under the lock', async () => {
    const events: string[] = [];
    const count = await settleDanglingRotations({
      danglingRequests: async () => [requested],
      stillPending: async (requestId) => {
        events.push(`pending? ${requestId}`);
        return false;
      },
      listKeys: async () => [key('b', 'previous'), key('c', 'current'), key('d', 'next')],
      appendAudit: async (entry) => {
        events.push(entry.type);
      },
      ifUnlocked: async (_id, run) => {
        events.push('locked');
        await run();
        events.push('unlocked');
      },
    });
    expect(count).toBe(0);
    expect(events).toEqual(['locked', 'pending? req-7', 'unlocked']);
  });
});

describe('settleDanglingRotations and a rotation Auth0 may still be carrying out', () => {
  test('a request younger than the grace period is read back only once it is old enough', async () => {
    const events: string[] = [];
    let now = requestedAt + 5_000;
    let keys = [key('b', 'current'), key('c', 'next')];
    await settleDanglingRotations({
      danglingRequests: async () => [requested],
      graceMs: 30_000,
      now: () => now,
      sleep: async (ms) => {
        events.push(`sleep ${ms}`);
        now += ms;
        // The rotate the dead process sent lands while Keyshift waits.
        keys = [key('b', 'previous'), key('c', 'current'), key('d', 'next')];
      },
      listKeys: async () => {
        events.push('read');
        return keys;
      },
      appendAudit: async (entry) => {
        events.push(entry.type);
      },
      stillPending: async () => true,
      ifUnlocked: (_id, run) => run(),
    });
    expect(events).toEqual(['sleep 25000', 'read', 'rotation.succeeded']);
  });

  test('a request older than the grace period is read back at once', async () => {
    const slept: number[] = [];
    await settleDanglingRotations({
      danglingRequests: async () => [requested],
      graceMs: 30_000,
      now: () => requestedAt + 31_000,
      sleep: async (ms) => {
        slept.push(ms);
      },
      listKeys: async () => [key('b', 'current'), key('c', 'next')],
      appendAudit: async () => {},
      stillPending: async () => true,
      ifUnlocked: (_id, run) => run(),
    });
    expect(slept).toEqual([]);
  });
});
