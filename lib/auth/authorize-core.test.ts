import { describe, expect, test } from 'vitest';
import { TEST_USERS } from '@/lib/testing/tenants';
import { type AnonymousAttempt, createAuthorize, type DeniedAttempt, requestInfoFrom } from './authorize-core';
import { roleIn } from './roles';
import type { CurrentUser } from './session-types';

const { alice, bob, carol } = TEST_USERS;
const attempt = { action: 'rotateKeys', requestId: 'req-1', tenant: 'acme', ip: '203.0.113.9', userAgent: 'vitest' };

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
    expect(denied).toEqual([{ ...attempt, permission, user, role: roleIn(user.roles, 'acme'), reason: 'forbidden' }]);
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
  const SPOOF = '203.0.113.66';
  test.each([
    // With no proxy in front, anyone can send the headers: no address is recorded rather than a made-up one.
    [0, 'x-forwarded-for from the client', { 'x-forwarded-for': SPOOF }, null],
    [0, 'x-real-ip from the client', { 'x-real-ip': SPOOF }, null],
    [0, 'both', { 'x-forwarded-for': `${SPOOF}, 198.51.100.1`, 'x-real-ip': SPOOF }, null],
    [0, 'nothing', {}, null],
    // One proxy appends the address it was connected from: the last entry; the ones before it are the client's.
    [1, 'the one entry the proxy wrote', { 'x-forwarded-for': ' 198.51.100.1 ' }, '198.51.100.1'],
    [1, 'a spoofed entry before the proxy’s', { 'x-forwarded-for': `${SPOOF}, 198.51.100.1` }, '198.51.100.1'],
    [1, 'an IPv6 address', { 'x-forwarded-for': `${SPOOF}, 2001:db8::1` }, '2001:db8::1'],
    [1, 'x-real-ip alone (not what the proxy appends)', { 'x-real-ip': SPOOF }, null],
    [1, 'no x-forwarded-for', {}, null],
    [1, 'an empty last entry', { 'x-forwarded-for': `${SPOOF}, ` }, null],
    [1, 'something that is not an address', { 'x-forwarded-for': '<script>' }, null],
    // Two proxies: the second appends the first's address; the client is second from the right.
    [2, 'a spoofed entry before both', { 'x-forwarded-for': `${SPOOF}, 198.51.100.1, 10.0.0.1` }, '198.51.100.1'],
    [2, 'exactly two entries', { 'x-forwarded-for': '198.51.100.1, 10.0.0.1' }, '198.51.100.1'],
    [2, 'fewer entries than proxies (the request skipped one)', { 'x-forwarded-for': '198.51.100.1' }, null],
  ])('with %i trusted hops: %s', (hops, _label, headers, ip) => {
    expect(requestInfoFrom(new Headers({ ...headers, 'user-agent': 'ua' }), hops)).toEqual({ ip, userAgent: 'ua' });
  });

  test('several x-forwarded-for headers count as one list', () => {
    const headers = new Headers([
      ['x-forwarded-for', SPOOF],
      ['x-forwarded-for', '198.51.100.1'],
    ]);
    expect(requestInfoFrom(headers, 1).ip).toBe('198.51.100.1');
    expect(requestInfoFrom(headers, 2).ip).toBe(SPOOF);
  });
});
