import { describe, expect, test, vi } from 'vitest';
import { z } from 'zod';
import { Auth0Error } from '@/lib/auth0/errors';
import { RotationRefused, RotationUnsettled } from '@/lib/rotation/errors';
import { ActionError, createActionHelper } from './action-core';
import { type AnonymousAttempt, createAuthorize, type DeniedAttempt } from './authorize-core';
import type { CurrentUser } from './session-types';

const alice: CurrentUser = { sub: 'auth0|alice', email: 'alice@example.com', name: 'Alice', role: 'rotator' };
const bob: CurrentUser = { sub: 'auth0|bob', email: 'bob@example.com', name: 'Bob', role: 'viewer' };
const carol: CurrentUser = { sub: 'auth0|carol', email: 'carol@example.com', name: 'Carol', role: null };

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
      const result = await action({ connectionId: 'con_1' });
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
    ['a wrong id', { connectionId: 'nope' }, 'connectionId'],
    ['a missing field', {}, 'connectionId'],
    ['not an object', 'con_1', '_'],
    ['null', null, '_'],
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
    expect(await action({ connectionId: 'con_1' })).toEqual({ ok: true, data: 'done' });
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
    expect(await action({ connectionId: 'con_1' })).toMatchObject({ ok: false, code, message });
    expect(logged).toHaveLength(0);
  });

  test('a refused rotation keeps the field it names', async () => {
    const { action } = setup(alice, async () => {
      throw new RotationRefused('invalid_input', 'The name does not match.', { confirmName: ['does not match'] });
    });
    expect(await action({ connectionId: 'con_1' })).toMatchObject({
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
    const result = await action({ connectionId: 'con_1' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('internal');
    expect(result.message).not.toContain('hunter2');
    expect(result.message).toContain(result.requestId);
    expect(JSON.stringify(logged)).toContain(result.requestId);
  });
});
