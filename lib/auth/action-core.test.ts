import { describe, expect, test, vi } from 'vitest';
import { z } from 'zod';
import { KeyedTokenBuckets } from '@/lib/async/token-bucket';
import { Auth0Error } from '@/lib/auth0/errors';
import { RotationRefused, RotationUnsettled } from '@/lib/rotation/errors';
import { currentTenant } from '@/lib/tenants/scope';
import { TEST_TENANT, TEST_USERS, testTenants } from '@/lib/testing/tenants';
import { ActionError, createActionHelper } from './action-core';
import { type AnonymousAttempt, createAuthorize, type DeniedAttempt } from './authorize-core';
import { PERMISSIONS, VIEWER_PERMISSIONS } from './roles';
import type { CurrentUser } from './session-types';

const { alice, bob, carol } = TEST_USERS;

function setup(user: CurrentUser | null, run: () => Promise<unknown> = async () => 'done') {
  const denied: DeniedAttempt[] = [];
  const anonymous: AnonymousAttempt[] = [];
  const logged: unknown[] = [];
  const work = vi.fn(run);
  const logError = (message: string, details: Record<string, unknown>) => logged.push({ message, details });
  const authorize = createAuthorize({
    currentUser: async () => user,
    recordDenied: async (attempt) => {
      denied.push(attempt);
    },
    refusedWithoutSession: (attempt) => anonymous.push(attempt),
    logError,
  });
  const helper = createActionHelper({
    authorize,
    requestInfo: async () => ({ ip: '203.0.113.9', userAgent: 'vitest' }),
    readBudget: new KeyedTokenBuckets({ burst: 100, perSecond: 1 }),
    ...testTenants(),
    logError,
  });
  const action = helper(
    { name: 'rotate', permission: 'keys:rotate', input: z.object({ connectionId: z.string().regex(/^con_/) }) },
    work,
  );
  return { action, work, denied, anonymous, logged };
}

describe('authorizedAction', () => {
  test.each([
    ['no session', null, 'unauthenticated', 0, 1],
    ['a viewer', bob, 'forbidden', 1, 0],
    ['a user without a role', carol, 'forbidden', 1, 0],
  ])(
    'refuses %s before parsing or running; audits a signed-in user, only counts an anonymous one',
    async (_label, user, code, audited, counted) => {
      const { action, work, denied, anonymous } = setup(user);
      const result = await action({ tenant: 'acme', connectionId: 'con_1' });
      expect(result).toMatchObject({ ok: false, code });
      expect(work).not.toHaveBeenCalled();
      expect(denied).toHaveLength(audited);
      expect(anonymous).toHaveLength(counted);
      expect(denied[0] ?? anonymous[0]).toMatchObject({
        action: 'rotate',
        permission: 'keys:rotate',
        ip: '203.0.113.9',
      });
    },
  );

  test.each([
    ['a wrong id', { tenant: 'acme', connectionId: 'nope' }, 'connectionId'],
    ['a missing field', { tenant: 'acme' }, 'connectionId'],
    ['no tenant', { connectionId: 'con_1' }, 'tenant'],
    ['an unknown tenant', { tenant: 'globex', connectionId: 'con_1' }, 'tenant'],
    ['a tenant that is not text', { tenant: ['acme'], connectionId: 'con_1' }, 'tenant'],
    ['not an object', 'con_1', 'tenant'],
    ['null', null, 'tenant'],
  ])('rejects %s naming the field, without running', async (_label, input, field) => {
    const { action, work } = setup(alice);
    const result = await action(input as never);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('invalid_input');
    expect(Object.keys(result.fieldErrors ?? {})).toContain(field);
    expect(work).not.toHaveBeenCalled();
  });

  test('runs with the parsed input and the user in context', async () => {
    const { action, work } = setup(alice);
    expect(await action({ tenant: 'acme', connectionId: 'con_1' })).toEqual({ ok: true, data: 'done' });
    expect((work.mock.calls[0] as unknown[])[0]).toEqual({ connectionId: 'con_1' });
    expect((work.mock.calls[0] as unknown[])[1]).toMatchObject({ user: alice, ip: '203.0.113.9', userAgent: 'vitest' });
  });

  test.each([
    ['an ActionError', new ActionError('conflict', 'Alice is rotating it.'), 'conflict', 'Alice is rotating it.'],
    ['a refused rotation', new RotationRefused('conflict', 'Bob is rotating it.'), 'conflict', 'Bob is rotating it.'],
    ['an unsettled rotation', new RotationUnsettled('Check the keys.'), 'unavailable', 'Check the keys.'],
    [
      'an Auth0Error',
      new Auth0Error('auth0:rate_limited', 'Try again later.'),
      'auth0:rate_limited',
      'Try again later.',
    ],
  ])('turns %s into its code and sentence', async (_label, error, code, message) => {
    const { action, logged } = setup(alice, async () => {
      throw error;
    });
    expect(await action({ tenant: 'acme', connectionId: 'con_1' })).toMatchObject({ ok: false, code, message });
    expect(logged).toHaveLength(0);
  });

  test('a refused rotation keeps the field it names', async () => {
    const { action } = setup(alice, async () => {
      throw new RotationRefused('invalid_input', 'The name does not match.', { confirmName: ['does not match'] });
    });
    expect(await action({ tenant: 'acme', connectionId: 'con_1' })).toMatchObject({
      ok: false,
      code: 'invalid_input',
      message: 'The name does not match.',
      fieldErrors: { confirmName: ['does not match'] },
    });
  });

  test('hides an unexpected error behind a reference, and logs it', async () => {
    const { action, logged } = setup(alice, async () => {
      throw new Error('database password is hunter2');
    });
    const result = await action({ tenant: 'acme', connectionId: 'con_1' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('internal');
    expect(result.message).not.toContain('hunter2');
    expect(result.message).toContain(result.requestId);
    expect(JSON.stringify(logged)).toContain(result.requestId);
  });
});

describe('the per-user read budget', () => {
  function setupBudget() {
    let time = 0;
    const budget = new KeyedTokenBuckets({ burst: 4, perSecond: 0.5 }, { now: () => time });
    const work = vi.fn(async () => 'read');
    const helper = createActionHelper({
      authorize: createAuthorize({
        currentUser: async () => current,
        recordDenied: async () => {},
        refusedWithoutSession: () => {},
        logError: () => {},
      }),
      requestInfo: async () => ({ ip: null, userAgent: null }),
      readBudget: budget,
      ...testTenants(),
      logError: () => {},
    });
    let current: CurrentUser = bob;
    const listKeys = helper(
      { name: 'listKeys', permission: 'keys:read', input: z.object({ connectionId: z.string() }), auth0Reads: () => 1 },
      work,
    );
    const summaries = helper(
      {
        name: 'summaries',
        permission: 'keys:read',
        input: z.object({ ids: z.array(z.string()) }),
        auth0Reads: ({ ids }) => ids.length,
      },
      work,
    );
    const rotate = helper(
      { name: 'rotate', permission: 'keys:rotate', input: z.object({ connectionId: z.string() }) },
      async () => 'rotated',
    );
    return {
      listKeys,
      summaries,
      rotate,
      work,
      as: (user: CurrentUser) => {
        current = user;
      },
      advance: (ms: number) => {
        time += ms;
      },
    };
  }

  test('a viewer past the burst is refused with a typed failure saying when to try again, before anything runs', async () => {
    const { listKeys, work, advance } = setupBudget();
    for (let n = 0; n < 4; n++)
      expect(await listKeys({ tenant: 'acme', connectionId: 'con_1' })).toMatchObject({ ok: true });
    expect(await listKeys({ tenant: 'acme', connectionId: 'con_1' })).toMatchObject({
      ok: false,
      code: 'rate_limited',
      message: 'You are making requests too quickly; try again in 2 s.',
    });
    expect(work).toHaveBeenCalledTimes(4);
    advance(2_000);
    expect(await listKeys({ tenant: 'acme', connectionId: 'con_1' })).toMatchObject({ ok: true });
  });

  test.each([
    ['one id', ['con_1'], true],
    ['the whole burst', ['con_1', 'con_2', 'con_3', 'con_4'], true],
    ['more than the burst, charged as the burst', Array.from({ length: 60 }, (_, n) => `con_${n}`), true],
  ])('a batch is charged per lookup: %s', async (_, ids, ok) => {
    const { summaries, listKeys } = setupBudget();
    expect((await summaries({ tenant: 'acme', ids })).ok).toBe(ok);
    expect((await listKeys({ tenant: 'acme', connectionId: 'con_1' })).ok).toBe(ids.length < 4);
  });

  test('rotations spend no read budget and are never throttled by it; other users keep theirs', async () => {
    const { listKeys, rotate, as } = setupBudget();
    as(alice);
    for (let n = 0; n < 4; n++) await listKeys({ tenant: 'acme', connectionId: 'con_1' });
    expect(await listKeys({ tenant: 'acme', connectionId: 'con_1' })).toMatchObject({ code: 'rate_limited' });
    for (let n = 0; n < 10; n++)
      expect(await rotate({ tenant: 'acme', connectionId: 'con_1' })).toEqual({ ok: true, data: 'rotated' });
    as(bob);
    expect(await listKeys({ tenant: 'acme', connectionId: 'con_1' })).toMatchObject({ ok: true });
  });

  test('invalid input and refusals spend nothing', async () => {
    const { listKeys, summaries, as } = setupBudget();
    for (let n = 0; n < 10; n++)
      expect(await summaries({ ids: 'nope' } as never)).toMatchObject({ code: 'invalid_input' });
    as(carol);
    for (let n = 0; n < 10; n++)
      expect(await listKeys({ tenant: 'acme', connectionId: 'con_1' })).toMatchObject({ code: 'forbidden' });
    as(bob);
    expect(await summaries({ tenant: 'acme', ids: ['1', '2', '3', '4'] })).toMatchObject({ ok: true });
  });
});

describe('roles per tenant, through the action helper', () => {
  const dev = { ...TEST_TENANT, slug: 'dev', domain: 'dev.test', environment: 'development' as const };
  const prod = { ...TEST_TENANT, slug: 'prod', domain: 'prod.test' };
  const users: Record<string, CurrentUser> = {
    // rotator:dev viewer:prod
    dave: {
      sub: 'auth0|dave',
      email: null,
      name: 'Dave',
      roles: { all: null, bySlug: { dev: 'rotator', prod: 'viewer' } },
    },
    // viewer everywhere, rotator:prod
    erin: { sub: 'auth0|erin', email: null, name: 'Erin', roles: { all: 'viewer', bySlug: { prod: 'rotator' } } },
    // viewer:dev only
    finn: { sub: 'auth0|finn', email: null, name: 'Finn', roles: { all: null, bySlug: { dev: 'viewer' } } },
  };
  const WRITES = new Set<string>(PERMISSIONS.filter((permission) => !VIEWER_PERMISSIONS.includes(permission)));
  const roleTable: [string, string, 'rotator' | 'viewer' | null][] = [
    ['dave', 'dev', 'rotator'],
    ['dave', 'prod', 'viewer'],
    ['erin', 'dev', 'viewer'],
    ['erin', 'prod', 'rotator'],
    ['finn', 'dev', 'viewer'],
    ['finn', 'prod', null],
  ];

  test.each(
    roleTable.flatMap(([user, tenant, role]) =>
      PERMISSIONS.map((permission) => [user, tenant, role, permission] as const),
    ),
  )('%s in %s (%s) asking %s', async (user, tenant, role, permission) => {
    const denied: DeniedAttempt[] = [];
    let ranIn: string | null = null;
    const helper = createActionHelper({
      authorize: createAuthorize({
        currentUser: async () => users[user] ?? null,
        recordDenied: async (attempt) => {
          denied.push(attempt);
        },
        refusedWithoutSession: () => {},
        logError: () => {},
      }),
      requestInfo: async () => ({ ip: null, userAgent: null }),
      readBudget: new KeyedTokenBuckets({ burst: 100, perSecond: 1 }),
      ...testTenants([dev, prod]),
      logError: () => {},
    });
    const action = helper({ name: 'probe', permission, input: z.object({}).strict() }, async (_input, context) => {
      ranIn = `${currentTenant().slug}/${context.tenant.slug}`;
      return 'done';
    });
    const allowed = role === 'rotator' || (role === 'viewer' && !WRITES.has(permission));
    const result = await action({ tenant });
    if (allowed) {
      expect(result).toEqual({ ok: true, data: 'done' });
      expect(ranIn).toBe(`${tenant}/${tenant}`);
      expect(denied).toEqual([]);
    } else {
      expect(result).toMatchObject({ ok: false, code: 'forbidden' });
      expect(ranIn).toBeNull();
      expect(denied).toMatchObject([{ tenant, permission, role }]);
    }
  });
});
