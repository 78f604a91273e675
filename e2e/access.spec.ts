import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { emulator, signIn, storageStatePath } from './fixtures';
import { SEED } from './seed';
import { callServerAction } from './server-actions';

function cookieOf(user: 'alice' | 'bob' | 'carol'): string {
  const state = JSON.parse(readFileSync(storageStatePath(user), 'utf8')) as {
    cookies: { name: string; value: string }[];
  };
  return state.cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}

function managementCalls(calls: Record<string, unknown>): number {
  return Object.entries(calls)
    .filter(([route]) => route.includes('/api/v2/'))
    .reduce((sum, [, count]) => sum + (typeof count === 'number' ? count : 0), 0);
}

// Refused before the input is looked at (or for its algorithm): the kids only make the input otherwise well formed.
const rotate = {
  connectionId: SEED.hooli.id,
  signingAlg: 'RS256',
  confirmName: SEED.hooli.name,
  expectedCurrentKid: 'kid-shown-current',
  expectedNextKid: 'kid-shown-next',
};
const FORGED = [
  ['listConnectionsAction', [{}], 'connections:read'],
  ['listKeysAction', [{ connectionId: SEED.hooli.id }], 'keys:read'],
  ['provisionKeysAction', [{ connectionId: SEED.wayne.id }], 'keys:provision'],
  ['rotateKeysAction', [rotate], 'keys:rotate'],
] as const;

test.describe('forged server-action calls', () => {
  for (const [name, args] of FORGED) {
    test(`${name} without a session is refused and reaches no Auth0 endpoint`, async () => {
      await emulator.clearCalls();
      const response = await callServerAction(name, [...args]);
      expect(response.text).toContain('"code":"unauthenticated"');
      expect(managementCalls(await emulator.calls())).toBe(0);
    });
  }

  for (const [name, args] of FORGED.filter(
    ([, , permission]) => permission === 'keys:rotate' || permission === 'keys:provision',
  )) {
    test(`${name} as a viewer is refused and reaches no Auth0 endpoint`, async () => {
      await emulator.clearCalls();
      const response = await callServerAction(name, [...args], { cookie: cookieOf('bob') });
      expect(response.text).toContain('"code":"forbidden"');
      expect(managementCalls(await emulator.calls())).toBe(0);
    });
  }

  test('a user without a role cannot even list connections', async () => {
    await emulator.clearCalls();
    const response = await callServerAction('listConnectionsAction', [{}], { cookie: cookieOf('carol') });
    expect(response.text).toContain('"code":"forbidden"');
    expect(managementCalls(await emulator.calls())).toBe(0);
  });

  test('invalid input from a rotator names the field and reaches no Auth0 endpoint', async () => {
    await emulator.clearCalls();
    const response = await callServerAction('rotateKeysAction', [{ ...rotate, signingAlg: 'HS256' }], {
      cookie: cookieOf('alice'),
    });
    expect(response.text).toContain('"code":"invalid_input"');
    expect(response.text).toContain('signingAlg');
    expect(managementCalls(await emulator.calls())).toBe(0);
  });
});

test('sign-out ends the session here and at the issuer', async ({ page }) => {
  await signIn(page, 'alice@example.com');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'You are signed out' })).toBeVisible();
  await page.goto('/');
  await expect(page).toHaveURL(/\/signin/);
  await page.getByRole('button', { name: 'Sign in with Auth0' }).click();
  await expect(page.getByLabel('Password')).toBeVisible();
});

test('pages carry a nonce-based CSP that forbids framing, and the other security headers', async ({ page }) => {
  const response = await page.goto('/signin');
  const headers = response?.headers() ?? {};
  const csp = headers['content-security-policy'] ?? '';
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  // The page still works under that policy: its scripts carry the nonce.
  await page.getByRole('button', { name: 'Sign in with Auth0' }).click();
  await expect(page.getByLabel('Email')).toBeVisible();
});
