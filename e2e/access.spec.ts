import { expect, test } from '@playwright/test';
import { E2E } from './env';
import { cookieOf, DEMO_PASSWORD, emulator, signIn, storageStatePath } from './fixtures';
import { SEED } from './seed';
import { callServerAction } from './server-actions';

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

test.describe('return paths after sign-in stay on Keyshift', () => {
  const NASTY = [
    'https://evil.example/',
    '//evil.example/',
    '/\\evil.example',
    '/\t/evil.example',
    '/%2F%2Fevil.example',
    'javascript:alert(1)',
  ];
  const signInWith = (callbackUrl: string) => `/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`;

  test('signing in from a sign-in link with a foreign callbackUrl lands on the home page', async ({ page }) => {
    await page.goto(signInWith('/\t/evil.example'));
    await page.getByRole('button', { name: 'Sign in with Auth0' }).click();
    await page.getByLabel('Email').fill('alice@example.com');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page).toHaveURL(`${E2E.appUrl}/${E2E.tenant}`);
    await expect(page.getByRole('heading', { name: 'Connections' })).toBeVisible();
  });

  test.describe('already signed in', () => {
    test.use({ storageState: storageStatePath('alice') });

    test('the sign-in page sends a foreign callbackUrl home and a path of ours to that path', async ({ page }) => {
      for (const callbackUrl of NASTY) {
        await page.goto(signInWith(callbackUrl));
        await expect(page).toHaveURL(`${E2E.appUrl}/${E2E.tenant}`);
      }
      await page.goto(signInWith(`${E2E.appUrl}/audit?outcome=failed`));
      await expect(page).toHaveURL(`${E2E.appUrl}/${E2E.tenant}/audit?outcome=failed`);
    });
  });

  test('next-auth’s own sign-in endpoint keeps only a path of ours as the callbackUrl', async () => {
    for (const callbackUrl of NASTY) {
      const response = await fetch(`${E2E.appUrl}/api/auth/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`, {
        redirect: 'manual',
      });
      // To Keyshift's sign-in page, coming back home; next-auth itself refuses a non-http URL (error=Configuration).
      const location = new URL(response.headers.get('location') ?? '', E2E.appUrl);
      expect(`${location.origin}${location.pathname}`).toBe(`${E2E.appUrl}/signin`);
      const home = `${E2E.appUrl}/`;
      const href = (url: string | null | undefined) => (url ? new URL(url).href : url);
      expect([home, null], callbackUrl).toContain(href(location.searchParams.get('callbackUrl')));
      // What it remembers for after the sign-in, if anything, is home too.
      const remembered = response.headers
        .getSetCookie()
        .find((cookie) => cookie.startsWith('next-auth.callback-url='))
        ?.split(';')[0]
        ?.slice('next-auth.callback-url='.length);
      expect([home, undefined], callbackUrl).toContain(href(remembered && decodeURIComponent(remembered)));
    }
  });
});
