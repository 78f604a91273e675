import { describe, expect, test, vi } from 'vitest';
import { Auth0Error } from '@/lib/auth0/errors';
import type { ConnectionDetail, ConnectionKey, RotatedKey } from '@/lib/auth0/types';
import { ConnectionBusyError, rotateConnection } from './rotate';
import type { RotationAuditEntry, RotationDependencies, RotationRequest } from './types';

const connection: ConnectionDetail = {
  id: 'con_AAAAAAAAAAAAAAAA',
  name: 'acme-okta',
  displayName: 'Acme',
  strategy: 'okta',
  keyCapable: true,
  keysUnsupportedReason: null,
  tokenEndpointAuthMethod: 'private_key_jwt',
  realms: [],
  isDomainConnection: false,
};

function key(kid: string, state: 'current' | 'next' | 'previous'): ConnectionKey {
  return {
    kid,
    cert: 'pem',
    pkcs: null,
    current: state === 'current',
    next: state === 'next',
    previous: state === 'previous',
    currentSince: null,
    fingerprint: `F:${kid}`,
    thumbprint: `T${kid}`,
    algorithm: 'RS256',
    keyUse: 'signing',
    subjectDn: 'CN=acme',
  };
}
const before = [key('a', 'previous'), key('b', 'current'), key('c', 'next')];
const rotatedKeys = [key('b', 'previous'), key('c', 'current'), key('d', 'next')];
const newKey: RotatedKey = {
  kid: 'd',
  cert: 'pem',
  pkcs: null,
  next: true,
  fingerprint: 'F:d',
  thumbprint: 'Td',
  algorithm: 'ES256',
  keyUse: 'signing',
  subjectDn: 'CN=acme',
};

const request: RotationRequest = {
  connectionId: connection.id,
  signingAlg: 'ES256',
  confirmName: 'acme-okta',
  user: { sub: 'auth0|alice', email: 'alice@example.com', name: 'Alice', role: 'rotator' },
  requestId: 'req-1',
  clientIp: '203.0.113.1',
  userAgent: 'vitest',
};

function deps(overrides: Partial<RotationDependencies> & { afterKeys?: ConnectionKey[] | Error } = {}) {
  const audit: RotationAuditEntry[] = [];
  let reads = 0;
  const rotate = vi.fn(async () => newKey);
  const value: RotationDependencies = {
    tenant: 'demo-tenant.local',
    getConnection: async () => connection,
    listKeys: async () => {
      reads++;
      if (reads === 1) return before;
      if (overrides.afterKeys instanceof Error) throw overrides.afterKeys;
      return overrides.afterKeys ?? before;
    },
    rotate,
    appendAudit: async (entry) => {
      audit.push(entry);
    },
    withConnectionLock: (_id, _holder, run) => run(),
    now: () => 1000,
    logError: () => {},
    ...overrides,
  };
  return { value, audit, rotate: (overrides.rotate as typeof rotate | undefined) ?? rotate };
}

describe('rotateConnection', () => {
  test('records requested, rotates once, records success with the new and the revoked kid', async () => {
    const { value, audit, rotate } = deps();
    const result = await rotateConnection(value, request);
    expect(rotate).toHaveBeenCalledTimes(1);
    expect(rotate).toHaveBeenCalledWith(connection.id, 'ES256');
    expect(result).toMatchObject({ key: { kid: 'd' }, revokedKid: 'b', promotedKid: 'c', settledByReadBack: false });
    expect(audit.map((entry) => entry.type)).toEqual(['rotation.requested', 'rotation.succeeded']);
    expect(audit[1]).toMatchObject({
      newKid: 'd',
      newFingerprint: 'F:d',
      previousKid: 'b',
      status: 201,
      actorEmail: 'alice@example.com',
      clientIp: '203.0.113.1',
    });
  });

  test.each([
    ['a wrong name', { confirmName: 'acme' }],
    ['an empty name', { confirmName: ' ' }],
  ])('refuses %s before anything is recorded or rotated', async (_label, change) => {
    const { value, audit, rotate } = deps();
    await expect(rotateConnection(value, { ...request, ...change })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(audit).toEqual([]);
    expect(rotate).not.toHaveBeenCalled();
  });

  test('fails closed when "requested" cannot be written', async () => {
    const { value, rotate } = deps({ appendAudit: async () => Promise.reject(new Error('disk full')) });
    await expect(rotateConnection(value, request)).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining('not attempted'),
    });
    expect(rotate).not.toHaveBeenCalled();
  });

  test('a held lock is refused at once, naming the holder', async () => {
    const { value, rotate } = deps({
      withConnectionLock: async () => {
        throw new ConnectionBusyError({ name: 'Bob', email: 'bob@example.com' });
      },
    });
    await expect(rotateConnection(value, request)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('Bob'),
    });
    expect(rotate).not.toHaveBeenCalled();
  });

  const ambiguous = new Auth0Error('auth0:timeout', 'Auth0 did not answer in time.', { ambiguous: true });
  test.each([
    [
      'a clear 4xx',
      new Auth0Error('auth0:bad_request', 'Bad alg.', { status: 400 }),
      before,
      'rotation.failed',
      'auth0:bad_request',
    ],
    ['an ambiguous failure, nothing moved', ambiguous, before, 'rotation.failed', 'auth0:timeout'],
    ['an ambiguous failure, read-back fails', ambiguous, new Error('down'), 'rotation.unknown', 'unavailable'],
    [
      'an ambiguous failure, keys moved twice',
      ambiguous,
      [key('c', 'previous'), key('d', 'current'), key('e', 'next')],
      'rotation.unknown',
      'unavailable',
    ],
  ])('%s → %s, rotate called once', async (_label, error, afterKeys, outcome, code) => {
    const rotate = vi.fn(async () => {
      throw error;
    });
    const { value, audit } = deps({ rotate, afterKeys });
    await expect(rotateConnection(value, request)).rejects.toMatchObject({ code });
    expect(rotate).toHaveBeenCalledTimes(1);
    expect(audit.map((entry) => entry.type)).toEqual(['rotation.requested', outcome]);
  });

  test('an ambiguous failure after which the keys moved is settled as a success with the read-back key', async () => {
    const rotate = vi.fn(async () => {
      throw ambiguous;
    });
    const { value, audit } = deps({ rotate, afterKeys: rotatedKeys });
    const result = await rotateConnection(value, request);
    expect(rotate).toHaveBeenCalledTimes(1);
    expect(result).toMatchObject({ key: { kid: 'd' }, settledByReadBack: true });
    expect(audit[1]).toMatchObject({
      type: 'rotation.succeeded',
      newKid: 'd',
      message: expect.stringContaining('happened'),
    });
  });

  test('a success whose outcome cannot be recorded still returns the new key', async () => {
    let writes = 0;
    const logged: unknown[] = [];
    const { value } = deps({
      appendAudit: async () => {
        if (writes++ > 0) throw new Error('db gone');
      },
      logError: (message) => logged.push(message),
    });
    await expect(rotateConnection(value, request)).resolves.toMatchObject({ key: { kid: 'd' } });
    expect(logged).toHaveLength(1);
  });
});
