import { describe, expect, test, vi } from 'vitest';
import type { AuditEventInput } from '@/lib/audit';
import type { RotatedKey } from '@/lib/auth0/types';
import { rotateKeysInput } from '@/lib/schemas';
import { rotateConnection } from './rotate';
import { testConnection, testKey } from './test-keys';
import type { GateReadiness, RotationDependencies, RotationRequest } from './types';

/** The readiness gate in rotateConnection: a connection whose IdP may not trust the next key rotates only if asked to. */
const connection = testConnection();
const before = [testKey('a', 'previous'), testKey('b', 'current'), testKey('c', 'next')];
const newKey: RotatedKey = { ...testKey('d', 'next'), pkcs: null, subjectDn: 'CN=acme', next: true };

const request: RotationRequest = {
  connectionId: connection.id,
  signingAlg: 'ES256',
  confirmName: 'acme-okta',
  user: { sub: 'auth0|alice', email: 'alice@example.com', name: 'Alice' },
  requestId: 'req-gate',
  clientIp: null,
  userAgent: 'vitest',
  expectedCurrentKid: 'b',
  expectedNextKid: 'c',
};

const READY: GateReadiness = { state: 'ready', reason: 'Alice recorded that the IdP admin confirmed key c.' };
const NOT_READY: GateReadiness = { state: 'not_ready', reason: 'No IdP admin has confirmed key c yet.' };
const UNKNOWN: GateReadiness = {
  state: 'unknown',
  reason: 'Nobody has recorded how this connection’s IdP learns keys.',
};

function deps(readiness: GateReadiness | Error) {
  const audit: AuditEventInput[] = [];
  const rotate = vi.fn(async () => newKey);
  const asked = vi.fn(async (_connectionId: string, _nextKid: string | null) => {
    if (readiness instanceof Error) throw readiness;
    return readiness;
  });
  const value: RotationDependencies = {
    tenant: 'demo-tenant.local',
    getConnection: async () => connection,
    listKeys: async () => before,
    rotate,
    appendAudit: async (entry) => {
      audit.push(entry);
    },
    withConnectionLock: (_id, _holder, run) => run({ confirmHeld: async () => {} }),
    now: () => 0,
    wallClock: () => 0,
    sleep: async () => {},
    settleGraceMs: 0,
    logError: () => {},
    lastRotation: async () => null,
    nextKeyReadiness: asked,
  };
  return { value, audit, rotate, asked };
}

describe('the readiness gate', () => {
  test('a ready connection rotates without an acknowledgment and records no override', async () => {
    const { value, audit, rotate, asked } = deps(READY);
    await rotateConnection(value, request);
    expect(asked).toHaveBeenCalledWith(connection.id, 'c');
    expect(rotate).toHaveBeenCalledTimes(1);
    expect(audit.map((event) => event.type)).toEqual(['rotation.requested', 'rotation.succeeded']);
    expect(audit[0]?.details).toEqual({ promotedKid: 'c' });
  });

  test.each([
    ['not ready', NOT_READY, 'is not ready: No IdP admin has confirmed key c yet.'],
    ['unknown', UNKNOWN, 'is unknown: Nobody has recorded'],
    ['unreadable (fails closed as unknown)', new Error('db gone'), 'could not read how this connection’s IdP'],
  ])(
    '%s, without an acknowledgment: refused and recorded as such, Auth0 never called',
    async (_label, readiness, why) => {
      const { value, audit, rotate } = deps(readiness);
      const refused = rotateConnection(value, request);
      await expect(refused).rejects.toMatchObject({ name: 'RotationRefused', code: 'not_ready' });
      const message = await refused.catch((error: Error) => error.message);
      expect(message).toContain(why);
      expect(message).toContain('Sign-ins through acme-okta will fail until its identity provider trusts key c.');
      expect(rotate).not.toHaveBeenCalled();
      // Only the refusal, as the lock and precondition refusals are recorded: an asked-for request with its code.
      expect(audit.map((event) => [event.type, event.errorCode])).toEqual([
        ['rotation.requested', 'not_ready'],
        ['rotation.failed', 'not_ready'],
      ]);
      expect(audit[1]?.message).toBe(message);
    },
  );

  test.each([
    ['not ready', NOT_READY, 'not_ready'],
    ['unknown', UNKNOWN, 'unknown'],
  ] as const)(
    '%s and acknowledged as such: rotates once and records the override with the request',
    async (_label, readiness, state) => {
      const { value, audit, rotate } = deps(readiness);
      const result = await rotateConnection(value, { ...request, acknowledgedReadiness: state });
      expect(result.promotedKid).toBe('c');
      expect(rotate).toHaveBeenCalledTimes(1);
      expect(audit.map((event) => event.type)).toEqual(['rotation.requested', 'rotation.succeeded']);
      expect(audit[0]?.details).toEqual({
        promotedKid: 'c',
        override: { readiness: state, reason: readiness.reason, acknowledged: true },
      });
    },
  );

  test.each([
    ['the dialog showed unknown, the server finds not ready', NOT_READY, 'unknown'],
    ['the dialog showed not ready, the server finds unknown', UNKNOWN, 'not_ready'],
  ] as const)(
    'readiness changed since the dialog (%s): refused, naming the new state',
    async (_label, readiness, acknowledged) => {
      const { value, audit, rotate } = deps(readiness);
      const refused = rotateConnection(value, { ...request, acknowledgedReadiness: acknowledged });
      await expect(refused).rejects.toMatchObject({ code: 'not_ready' });
      await expect(refused).rejects.toThrow(/readiness changed since the dialog showed it/);
      expect(rotate).not.toHaveBeenCalled();
      expect(audit.map((event) => event.errorCode)).toEqual(['not_ready', 'not_ready']);
    },
  );

  test('the dialog showed ready (no acknowledgment) and the server finds not ready: refused', async () => {
    const { value, rotate } = deps(NOT_READY);
    await expect(rotateConnection(value, request)).rejects.toMatchObject({ code: 'not_ready' });
    expect(rotate).not.toHaveBeenCalled();
  });

  test('an acknowledgment for a connection that turned ready is not recorded as an override', async () => {
    const { value, audit } = deps(READY);
    await rotateConnection(value, { ...request, acknowledgedReadiness: 'not_ready' });
    expect(audit[0]?.details).toEqual({ promotedKid: 'c' });
  });

  test('keys other than those shown are refused before readiness is asked', async () => {
    const { value, asked, audit } = deps(NOT_READY);
    await expect(
      rotateConnection(value, { ...request, expectedNextKid: 'z', acknowledgedReadiness: 'not_ready' }),
    ).rejects.toMatchObject({ code: 'precondition_failed' });
    expect(asked).not.toHaveBeenCalled();
    expect(audit.map((event) => event.errorCode)).toEqual(['precondition_failed', 'precondition_failed']);
  });
});

describe('rotateKeysInput: the acknowledgment', () => {
  const input = { connectionId: 'con_AAAAAAAAAAAAAAAA', signingAlg: 'RS256', confirmName: 'x' };
  const kids = { expectedCurrentKid: 'b', expectedNextKid: 'c' };
  test.each([
    ['absent', {}, true],
    ['not_ready', { acknowledgedReadiness: 'not_ready' }, true],
    ['unknown', { acknowledgedReadiness: 'unknown' }, true],
    ['ready (nothing to acknowledge)', { acknowledgedReadiness: 'ready' }, false],
    ['a boolean', { acknowledgedReadiness: true }, false],
  ])('%s', (_label, ack, ok) => {
    expect(rotateKeysInput.safeParse({ ...input, ...kids, ...ack }).success).toBe(ok);
  });
});
