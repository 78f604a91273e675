import { describe, expect, test, vi } from 'vitest';
import type { AuditEventInput } from '@/lib/audit';
import { Auth0Error } from '@/lib/auth0/errors';
import type { ConnectionDetail, ConnectionKey, RotatedKey } from '@/lib/auth0/types';
import { deferred } from '@/lib/testing/deferred';
import { ConnectionBusyError, rotateConnection } from './rotate';
import { testConnection, testKey } from './test-keys';
import type { HeldLock, RotationDependencies, RotationRequest } from './types';

const connection = testConnection();

const key = testKey;
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
  user: { sub: 'auth0|alice', email: 'alice@example.com', name: 'Alice' },
  requestId: 'req-1',
  clientIp: '203.0.113.1',
  userAgent: 'vitest',
  expectedCurrentKid: 'b',
  expectedNextKid: 'c',
};

const NOW = Date.parse('2030-01-01T00:00:00Z');
const held: HeldLock = { confirmHeld: async () => {} };
const lost: HeldLock = { confirmHeld: async () => Promise.reject(new Error('the lock session ended')) };

/** `afterKeys`: what every read-back returns; `readBacks`: what each read-back in turn returns (then the last). */
function deps(
  overrides: Partial<RotationDependencies> & {
    afterKeys?: ConnectionKey[] | Error;
    readBacks?: (ConnectionKey[] | Error)[];
  } = {},
) {
  const audit: AuditEventInput[] = [];
  const sleeps: number[] = [];
  let reads = 0;
  const rotate = vi.fn(async () => newKey);
  const { afterKeys, readBacks, ...rest } = overrides;
  const value: RotationDependencies = {
    tenant: 'demo-tenant.local',
    getConnection: async () => connection,
    listKeys: async () => {
      reads++;
      if (reads === 1) return before;
      const result = readBacks ? readBacks[Math.min(reads - 2, readBacks.length - 1)] : afterKeys;
      if (result instanceof Error) throw result;
      return result ?? before;
    },
    rotate,
    appendAudit: async (entry) => {
      audit.push(entry);
    },
    withConnectionLock: (_id, _holder, run) => run(held),
    now: () => 1000,
    wallClock: () => NOW,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    settleGraceMs: 2000,
    logError: () => {},
    lastRotation: async () => null,
    nextKeyReadiness: async () => ({ state: 'ready', reason: 'The IdP admin confirmed the next key.' }),
    ...rest,
  };
  return {
    value,
    audit,
    sleeps,
    reads: () => reads,
    rotate: (overrides.rotate as typeof rotate | undefined) ?? rotate,
  };
}

describe('rotateConnection', () => {
  test('records requested, rotates once, records success with the new and the revoked kid', async () => {
    const { value, audit, rotate } = deps();
    const result = await rotateConnection(value, request);
    expect(rotate).toHaveBeenCalledTimes(1);
    expect(rotate).toHaveBeenCalledWith(connection.id, 'ES256');
    expect(result).toMatchObject({ key: { kid: 'd' }, revokedKid: 'b', promotedKid: 'c', settledByReadBack: false });
    expect(audit.map((entry) => entry.type)).toEqual(['rotation.requested', 'rotation.succeeded']);
    expect(audit[0]).toMatchObject({ previousKid: 'b', details: { promotedKid: 'c' } });
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

  test('reads the connection and, under the lock, the keys at the same time; records only after both', async () => {
    const events: string[] = [];
    // Auth0 answers about the connection only once the keys were asked for (and answered): the code must not wait
    // for that answer before it takes the lock and reads the keys.
    const connectionAnswer = deferred<ConnectionDetail>();
    const keysAsked = deferred();
    const { value, audit } = deps({
      getConnection: () => {
        events.push('getConnection asked');
        return connectionAnswer.promise;
      },
      withConnectionLock: (_id, _holder, run) => {
        events.push('locked');
        return run(held);
      },
      listKeys: async () => {
        events.push('listKeys asked');
        keysAsked.resolve();
        return before;
      },
      appendAudit: async (entry) => {
        events.push(entry.type);
        audit.push(entry);
      },
    });
    const rotation = rotateConnection(value, request);
    await keysAsked.promise;
    events.push('connection answered');
    connectionAnswer.resolve(connection);
    await rotation;
    expect(events.slice(0, 5)).toEqual([
      'getConnection asked',
      'locked',
      'listKeys asked',
      'connection answered',
      'rotation.requested',
    ]);
  });

  test.each([
    ['the keys cannot be read', { listKeys: async () => Promise.reject(new Error('400 not key-capable')) }],
    [
      'another operator holds the lock',
      {
        withConnectionLock: async () => {
          throw new ConnectionBusyError({ name: 'Bob', email: 'bob@example.com' });
        },
      },
    ],
  ])('a wrong name is refused as such even when %s, and nothing is recorded', async (_label, change) => {
    const { value, audit, rotate } = deps(change);
    await expect(rotateConnection(value, { ...request, confirmName: 'acme' })).rejects.toMatchObject({
      code: 'invalid_input',
      fieldErrors: { confirmName: ['does not match the connection name'] },
    });
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

describe('rotateConnection and Auth0’s rate limit', () => {
  const rateLimited = (secondsAhead: number | null) =>
    new Auth0Error('auth0:rate_limited', 'Auth0’s rate limit was reached. Try again after …', {
      status: 429,
      retryAt: secondsAhead === null ? undefined : new Date(NOW + secondsAhead * 1000),
    });
  const failingThen = (...outcomes: (Error | RotatedKey)[]) => {
    const queue = [...outcomes];
    return vi.fn(async () => {
      const next = queue.shift() ?? newKey;
      if (next instanceof Error) throw next;
      return next;
    });
  };

  test.each([
    ['resets in 1.5 s', 1.5, 1500],
    ['reset already passed', -3, 0],
    ['resets in exactly 10 s', 10, 10_000],
  ])(
    'a 429 whose limit %s: waits until then, inside the lock, and rotates once more',
    async (_label, ahead, waited) => {
      const rotate = failingThen(rateLimited(ahead));
      let insideLock = false;
      const { value, audit, sleeps } = deps({
        rotate,
        withConnectionLock: async (_id, _holder, run) => {
          insideLock = true;
          try {
            return await run(held);
          } finally {
            insideLock = false;
          }
        },
        sleep: async (ms) => {
          expect(insideLock).toBe(true);
          sleeps.push(ms);
        },
      });
      await expect(rotateConnection(value, request)).resolves.toMatchObject({ key: { kid: 'd' } });
      expect(rotate).toHaveBeenCalledTimes(2);
      expect(sleeps).toEqual([waited]);
      expect(audit.map((entry) => entry.type)).toEqual(['rotation.requested', 'rotation.succeeded']);
      expect(audit[1]).toMatchObject({ status: 201, newKid: 'd', message: expect.stringContaining('rate limit') });
    },
  );

  test.each([
    ['resets in 60 s', rateLimited(60)],
    ['says nothing about when it resets', rateLimited(null)],
  ])('a 429 whose limit %s is not retried: it fails with the sentence saying when to try', async (_label, error) => {
    const rotate = failingThen(error);
    const { value, audit, sleeps } = deps({ rotate });
    await expect(rotateConnection(value, request)).rejects.toMatchObject({
      code: 'auth0:rate_limited',
      message: expect.stringContaining('Try again'),
    });
    expect(rotate).toHaveBeenCalledTimes(1);
    expect(sleeps).toEqual([]);
    expect(audit.map((entry) => [entry.type, entry.status])).toEqual([
      ['rotation.requested', undefined],
      ['rotation.failed', 429],
    ]);
  });

  test('two 429s in a row: rotate is called twice at most, and the rotation fails as rate limited', async () => {
    const rotate = failingThen(rateLimited(1), rateLimited(1), newKey);
    const { value, audit } = deps({ rotate });
    await expect(rotateConnection(value, request)).rejects.toMatchObject({ code: 'auth0:rate_limited' });
    expect(rotate).toHaveBeenCalledTimes(2);
    expect(audit.map((entry) => entry.type)).toEqual(['rotation.requested', 'rotation.failed']);
  });

  test('a 429, then an ambiguous 500 after which the keys moved: settled by read-back, not by a third call', async () => {
    const lost = new Auth0Error('auth0:upstream', 'Auth0 failed with status 500.', { status: 500, ambiguous: true });
    const rotate = failingThen(rateLimited(1), lost);
    const { value, audit } = deps({ rotate, afterKeys: rotatedKeys });
    await expect(rotateConnection(value, request)).resolves.toMatchObject({ settledByReadBack: true });
    expect(rotate).toHaveBeenCalledTimes(2);
    expect(audit[1]).toMatchObject({ type: 'rotation.succeeded', newKid: 'd' });
  });
});

describe('rotateConnection settling an answer lost in flight', () => {
  const timeout = new Auth0Error('auth0:timeout', 'Auth0 did not answer in time.', { ambiguous: true });
  const serverError = new Auth0Error('auth0:upstream', 'Auth0 failed with status 503.', {
    status: 503,
    ambiguous: true,
  });
  const gateway = new Auth0Error('auth0:upstream', 'Auth0 failed with status 504.', { status: 504, ambiguous: true });
  const dropped = new Auth0Error('auth0:unreachable', 'The connection to Auth0 was lost before it answered.', {
    ambiguous: true,
  });
  const throwing = (error: Error) =>
    vi.fn(async () => {
      throw error;
    });

  test.each([
    ['a timeout', timeout],
    ['a dropped connection', dropped],
    ['a 504 from a gateway', gateway],
  ])('after %s, a rotation Auth0 finishes late is caught by the second read-back', async (_label, error) => {
    const rotate = throwing(error);
    const { value, audit, sleeps, reads } = deps({ rotate, readBacks: [before, rotatedKeys] });
    await expect(rotateConnection(value, request)).resolves.toMatchObject({
      key: { kid: 'd' },
      settledByReadBack: true,
    });
    expect(rotate).toHaveBeenCalledTimes(1);
    expect(sleeps).toEqual([2000]);
    expect(reads()).toBe(3);
    expect(audit[1]).toMatchObject({ type: 'rotation.succeeded', newKid: 'd' });
  });

  test('after a timeout, two read-backs that both show nothing changed settle it as failed', async () => {
    const rotate = throwing(timeout);
    const { value, audit, sleeps } = deps({ rotate, readBacks: [before, before] });
    await expect(rotateConnection(value, request)).rejects.toMatchObject({
      code: 'auth0:timeout',
      message: expect.stringContaining('again 2 s later shows nothing changed'),
    });
    expect(sleeps).toEqual([2000]);
    expect(audit[1]).toMatchObject({ type: 'rotation.failed', errorCode: 'auth0:timeout' });
  });

  test('a 503 is Auth0’s own answer: one read-back settles it, with no wait', async () => {
    const rotate = throwing(serverError);
    const { value, audit, sleeps, reads } = deps({ rotate });
    await expect(rotateConnection(value, request)).rejects.toMatchObject({ code: 'auth0:upstream' });
    expect(sleeps).toEqual([]);
    expect(reads()).toBe(2);
    expect(audit.map((entry) => [entry.type, entry.status])).toEqual([
      ['rotation.requested', undefined],
      ['rotation.failed', 503],
    ]);
  });
});

describe('rotateConnection refused because the connection is busy', () => {
  const busy = async () => {
    throw new ConnectionBusyError({ name: 'Bob', email: 'bob@example.com' });
  };

  test('the refusal is audited as requested and failed with the same sentence, and nothing reaches Auth0', async () => {
    const { value, audit, rotate, reads } = deps({ withConnectionLock: busy });
    const refusal = await rotateConnection(value, request).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: 'conflict', message: expect.stringMatching(/^Bob is rotating/) });
    expect(rotate).not.toHaveBeenCalled();
    expect(reads()).toBe(0);
    expect(audit).toEqual([
      expect.objectContaining({ type: 'rotation.requested', requestId: 'req-1', previousKid: null }),
      expect.objectContaining({
        type: 'rotation.failed',
        requestId: 'req-1',
        errorCode: 'conflict',
        message: (refusal as Error).message,
      }),
    ]);
  });

  test('a refusal that cannot be recorded is still a refusal, and is logged', async () => {
    const logged: string[] = [];
    const { value } = deps({
      withConnectionLock: busy,
      appendAudit: async () => Promise.reject(new Error('db gone')),
      logError: (message) => logged.push(message),
    });
    await expect(rotateConnection(value, request)).rejects.toMatchObject({ code: 'conflict' });
    expect(logged).toEqual(['could not record a refused rotation']);
  });

  test('a lock lost before Auth0 is called: refused, rotate never called, the failure recorded', async () => {
    const { value, audit, rotate } = deps({ withConnectionLock: (_id, _holder, run) => run(lost) });
    await expect(rotateConnection(value, request)).rejects.toMatchObject({
      name: 'RotationRefused',
      code: 'unavailable',
      message: expect.stringMatching(/^Keyshift lost its database lock on this connection before calling Auth0/),
    });
    expect(rotate).not.toHaveBeenCalled();
    expect(audit.map((entry) => [entry.type, entry.errorCode ?? null])).toEqual([
      ['rotation.requested', null],
      ['rotation.failed', 'lock_lost'],
    ]);
  });

  test('a lock lost while an ambiguous answer is read back: unknown, never a guess from the keys', async () => {
    let confirmations = 0;
    const lostAfterCall: HeldLock = {
      confirmHeld: async () => {
        confirmations++;
        if (confirmations > 1) throw new Error('the lock session ended');
      },
    };
    const { value, audit, rotate } = deps({
      withConnectionLock: (_id, _holder, run) => run(lostAfterCall),
      rotate: vi.fn(async () => {
        throw new Auth0Error('auth0:timeout', 'Auth0 did not answer in time.', { ambiguous: true });
      }),
      afterKeys: rotatedKeys,
    });
    await expect(rotateConnection(value, request)).rejects.toMatchObject({ name: 'RotationUnsettled' });
    expect(rotate).toHaveBeenCalledTimes(1);
    expect(audit.map((entry) => entry.type)).toEqual(['rotation.requested', 'rotation.unknown']);
    expect(audit[1]?.message).toMatch(/lost its database lock on this connection meanwhile/);
  });
});

describe('rotateConnection refused because the keys changed since the page loaded', () => {
  const review = 'Review the new keys, then rotate again if you still mean to.';

  test.each([
    ['the current key differs', { expectedCurrentKid: 'a', expectedNextKid: 'c' }],
    ['the next key differs', { expectedCurrentKid: 'b', expectedNextKid: 'z' }],
    ['both differ (the page is a rotation behind)', { expectedCurrentKid: 'a', expectedNextKid: 'b' }],
  ])('%s: nothing reaches Auth0, the refusal is audited, the sentence says so', async (_label, shown) => {
    const { value, audit, rotate } = deps();
    const refusal = await rotateConnection(value, { ...request, ...shown }).catch((error: unknown) => error);
    expect(refusal).toMatchObject({
      name: 'RotationRefused',
      code: 'precondition_failed',
      message: `The keys changed since this page loaded. ${review}`,
    });
    expect(rotate).not.toHaveBeenCalled();
    expect(audit).toEqual([
      expect.objectContaining({ type: 'rotation.requested', requestId: 'req-1' }),
      expect.objectContaining({
        type: 'rotation.failed',
        requestId: 'req-1',
        errorCode: 'precondition_failed',
        message: (refusal as Error).message,
      }),
    ]);
  });

  test.each([
    [
      'a rotation through Keyshift 40 s ago',
      { who: 'Alice Rotator', at: NOW - 40_000, external: false },
      'Alice Rotator rotated them 40 s ago',
    ],
    [
      'one outside Keyshift 3 minutes ago',
      { who: 'Deploy Bot', at: NOW - 185_000, external: true },
      'Deploy Bot rotated them outside Keyshift 3 min ago',
    ],
    ['one 5 hours ago', { who: 'Bob', at: NOW - 5 * 3_600_000, external: false }, 'Bob rotated them 5 h ago'],
    [
      'one 3 days ago',
      { who: 'Bob', at: NOW - 3 * 86_400_000, external: false },
      'Bob rotated them on 2029-12-29 at 00:00 UTC',
    ],
  ])('names who rotated and when, from the audit trail: %s', async (_label, last, phrase) => {
    const asked: string[] = [];
    const { value } = deps({
      lastRotation: async (connectionId) => {
        asked.push(connectionId);
        return { who: last.who, at: new Date(last.at), external: last.external };
      },
    });
    await expect(rotateConnection(value, { ...request, expectedNextKid: 'z' })).rejects.toMatchObject({
      code: 'precondition_failed',
      message: `The keys changed since this page loaded: ${phrase}. ${review}`,
    });
    expect(asked).toEqual([connection.id]);
  });

  test('an audit trail that cannot say who rotated still gets the plain sentence', async () => {
    const { value, rotate } = deps({ lastRotation: async () => Promise.reject(new Error('db gone')) });
    await expect(rotateConnection(value, { ...request, expectedCurrentKid: 'a' })).rejects.toMatchObject({
      code: 'precondition_failed',
      message: `The keys changed since this page loaded. ${review}`,
    });
    expect(rotate).not.toHaveBeenCalled();
  });

  test('the keys are compared under the lock, as read there', async () => {
    let locked = false;
    const { value, rotate } = deps({
      withConnectionLock: async (_id, _holder, run) => {
        locked = true;
        return run(held);
      },
      listKeys: async () => {
        expect(locked).toBe(true);
        return rotatedKeys;
      },
    });
    await expect(rotateConnection(value, request)).rejects.toMatchObject({ code: 'precondition_failed' });
    expect(rotate).not.toHaveBeenCalled();
  });
});
