import { describe, expect, test } from 'vitest';
import { type AnonymousAttempt, createAuthorize, type DeniedAttempt, requestInfoFrom } from './authorize-core';
import type { CurrentUser } from './session-types';

const alice: CurrentUser = { sub: 'auth0|alice', email: 'alice@example.com', name: 'Alice', role: 'rotator' };
const bob: CurrentUser = { sub: 'auth0|bob', email: 'bob@example.com', name: 'Bob', role: 'viewer' };
const carol: CurrentUser = { sub: 'auth0|carol', email: 'carol@example.com', name: 'Carol', role: null };
const attempt = { action: 'rotateKeys', requestId: 'req-1', ip: '203.0.113.9', userAgent: 'vitest' };

function setup(user: CurrentUser | null, recordDenied?: (attempt: DeniedAttempt) => Promise<void>) {
  const denied: DeniedAttempt[] = [];
  const anonymous: AnonymousAttempt[] = [];
  const logged: { message: string; details: Record<string, unknown> }[] = [];
  const authorize = createAuthorize({
    currentUser: async () => user,
    recordDenied:
      recordDenied ??
      (async (attempt) => {
        denied.push(attempt);
      }),
    refusedWithoutSession: (attempt) => anonymous.push(attempt),
    logError: (message, details) => logged.push({ message, details }),
  });
  return { authorize, denied, anonymous, logged };
}

describe('authorize', () => {
  test.each([
    ['a rotator', alice, 'keys:rotate'],
    ['a viewer', bob, 'audit:read'],
  ] as const)('lets %s do what the role grants, recording nothing', async (_label, user, permission) => {
    const { authorize, denied } = setup(user);
    expect(await authorize(permission, attempt)).toEqual({ ok: true, user });
    expect(denied).toEqual([]);
  });

  test.each([
    ['a viewer rotating', bob, 'keys:rotate'],
    ['a viewer provisioning', bob, 'keys:provision'],
    ['a user without a role reading the audit', carol, 'audit:read'],
    ['a user without a role listing connections', carol, 'connections:read'],
  ] as const)('refuses %s and audits who tried what from where', async (_label, user, permission) => {
    const { authorize, denied, anonymous } = setup(user);
    expect(await authorize(permission, attempt)).toEqual({ ok: false, reason: 'forbidden' });
    expect(denied).toEqual([{ ...attempt, permission, user, reason: 'forbidden' }]);
    expect(anonymous).toEqual([]);
  });

  test.each(['keys:rotate', 'keys:provision', 'audit:read', 'connections:read'] as const)(
    'refuses a request without a session for %s, counts it for the log, and audits nothing',
    async (permission) => {
      const { authorize, denied, anonymous } = setup(null);
      expect(await authorize(permission, attempt)).toEqual({ ok: false, reason: 'unauthenticated' });
      expect(denied).toEqual([]);
      expect(anonymous).toEqual([{ ...attempt, permission }]);
    },
  );

  test('a refusal that cannot be recorded is still a refusal, and the failure is logged', async () => {
    const { authorize, logged } = setup(bob, async () => {
      throw new Error('disk full');
    });
    expect(await authorize('keys:rotate', attempt)).toEqual({ ok: false, reason: 'forbidden' });
    expect(logged).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ requestId: 'req-1', error: 'Error: disk full' }) }),
    ]);
  });
});

describe('requestInfoFrom', () => {
  test.each([
    [
      'the first hop of x-forwarded-for',
      { 'x-forwarded-for': ' 198.51.100.1 , 10.0.0.1', 'x-real-ip': '10.0.0.2' },
      '198.51.100.1',
    ],
    ['x-real-ip without x-forwarded-for', { 'x-real-ip': '10.0.0.2' }, '10.0.0.2'],
    ['nothing', {}, null],
  ])('takes the client address from %s', (_label, headers, ip) => {
    expect(requestInfoFrom(new Headers({ ...headers, 'user-agent': 'ua' }))).toEqual({ ip, userAgent: 'ua' });
  });
});
