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
} as unknown as AuditEvent;

async function settle(keys: ConnectionKey[] | Error, locked = false, clock = { now: requestedAt + 60_000 }) {
  const written: AuditEventInput[] = [];
  const count = await settleDanglingRotations({
    graceMs: 30_000,
    now: () => clock.now,
    sleep: async () => {},
    danglingRequests: async () => [requested],
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
      ifUnlocked: (_id, run) => run(),
    });
    expect(slept).toEqual([]);
  });
});
