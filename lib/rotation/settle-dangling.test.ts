import { describe, expect, test } from 'vitest';
import type { AuditEvent } from '@/lib/audit';
import type { ConnectionKey } from '@/lib/auth0/types';
import { settleDanglingRotations } from './settle-dangling';
import type { RotationAuditEntry } from './types';

function key(kid: string, state: 'current' | 'next' | 'previous'): ConnectionKey {
  return {
    kid,
    cert: '',
    pkcs: null,
    current: state === 'current',
    next: state === 'next',
    previous: state === 'previous',
    currentSince: null,
    fingerprint: `F:${kid}`,
    thumbprint: kid,
    algorithm: 'RS256',
    keyUse: 'signing',
    subjectDn: null,
  };
}

const requested = {
  id: 7,
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

async function settle(keys: ConnectionKey[] | Error, locked = false) {
  const written: RotationAuditEntry[] = [];
  const count = await settleDanglingRotations({
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
