import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { encode } from 'next-auth/jwt';
import { STATIC_SECURITY_HEADERS } from '../lib/security-headers';
import { E2E } from './env';
import { storageStatePath } from './fixtures';
import { actionResult, callServerAction } from './server-actions';
import { Stack } from './stack';

/**
 * Security headers and cookie flags of the built app. Production is https: an instance of the same build started
 * with an https NEXTAUTH_URL (served over plain http here, which is all a header check needs) shows what a browser
 * gets in production; the suite's shared http stack shows the demo.
 */
const HSTS = 'max-age=63072000; includeSubDomains';

test.describe('production (NEXTAUTH_URL is https)', () => {
  let stack: Stack;
  let origin: string;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    // The same build as every other spec, told at start (not at build time) that it is served over https.
    stack = await Stack.start({ slot: 3, https: true });
    origin = stack.appUrls[0] as string;
  });
  test.afterAll(async () => {
    await stack?.stop();
  });

  test('pages carry HSTS, a nonce CSP without unsafe-inline scripts, frame-ancestors none, nosniff, a referrer policy', async () => {
    const response = await fetch(`${origin}/signin`);
    expect(response.headers.get('strict-transport-security')).toBe(HSTS);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'(;|$)/);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain('upgrade-insecure-requests');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    // Every inline script of the page carries this response's nonce.
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    const html = await response.text();
    const scripts = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>/g)].map((match) => match[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
  });

  test('server action answers keep the static headers; the per-request proxy (nonce, HSTS) is for documents only', async () => {
    const answer = await callServerAction('listConnectionsAction', [{}], { baseUrl: origin });
    expect(answer.status).toBe(200);
    expect(actionResult(answer.text)).toMatchObject({ ok: false, code: 'unauthenticated' });
    for (const { key, value } of STATIC_SECURITY_HEADERS) expect(answer.headers.get(key)).toBe(value);
    // Not a document, so no page it could frame or script: the proxy (about 2 ms a request) does not run for it.
    expect(answer.headers.get('content-security-policy')).toBeNull();
    // The page that makes the call was served with HSTS, which is how the browser learned it.
    expect((await fetch(`${origin}/signin`)).headers.get('strict-transport-security')).toBe(HSTS);
  });

  test('the CSRF cookie is __Host-, HttpOnly, Secure, SameSite=Lax', async () => {
    const cookies = (await fetch(`${origin}/api/auth/csrf`)).headers.getSetCookie();
    const csrf = cookies.find((cookie) => cookie.startsWith('__Host-next-auth.csrf-token='));
    expect(csrf).toMatch(/; Path=\//);
    expect(csrf).toMatch(/; HttpOnly/);
    expect(csrf).toMatch(/; Secure/);
    expect(csrf).toMatch(/; SameSite=Lax/);
  });

  test('the session cookie is __Secure-, HttpOnly, Secure, SameSite=Lax', async () => {
    const token = await encode({
      token: {
        sub: 'auth0|alice',
        email: 'alice@example.com',
        name: 'Alice Rotator',
        role: 'rotator',
        signedInAt: Math.floor(Date.now() / 1000),
      },
      secret: stack.secret,
    });
    const response = await fetch(`${origin}/api/auth/session`, {
      headers: { cookie: `__Secure-next-auth.session-token=${token}` },
    });
    expect(await response.json()).toMatchObject({ user: { email: 'alice@example.com' } });
    const session = response.headers
      .getSetCookie()
      .find((cookie) => cookie.startsWith('__Secure-next-auth.session-token='));
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; Secure/);
    expect(session).toMatch(/; SameSite=Lax/);
  });
});

test.describe('the demo (plain http)', () => {
  test('no HSTS over plain http', async () => {
    const response = await fetch(`${E2E.appUrl}/signin`);
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });

  test('the session cookie is HttpOnly and SameSite=Lax, and page scripts cannot read it', async ({ browser }) => {
    const state = JSON.parse(readFileSync(storageStatePath('alice'), 'utf8')) as {
      cookies: { name: string; httpOnly: boolean; secure: boolean; sameSite: string }[];
    };
    const session = state.cookies.find((cookie) => cookie.name === 'next-auth.session-token');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });
    const context = await browser.newContext({ storageState: storageStatePath('alice') });
    const page = await context.newPage();
    await page.goto(`${E2E.appUrl}/`);
    await expect(page.getByRole('heading', { name: 'Connections' })).toBeVisible();
    expect(await page.evaluate(() => document.cookie)).not.toContain('next-auth.session-token');
    await context.close();
  });
});
