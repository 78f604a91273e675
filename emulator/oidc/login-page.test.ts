import './silence-runtime-warning';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_PASSWORD } from './index';
import {
  APP_CALLBACK,
  authorizeUrl,
  browse,
  CookieJar,
  followOnIssuer,
  locationOf,
  pkcePair,
  postForm,
  type RunningIssuer,
  readForm,
  startIssuer,
} from './test-support';

let run: RunningIssuer;

beforeAll(async () => {
  run = await startIssuer();
});

afterAll(async () => {
  await run.close();
  expect(run.logs).toEqual([]);
});

/** Starts an authorization request and stops at the login form, as a browser would show it. */
async function openLoginForm(params: { state?: string } = {}) {
  const jar = new CookieJar();
  const start = await browse(
    jar,
    authorizeUrl(run.issuer, { state: params.state ?? 'st', challenge: pkcePair().challenge }),
  );
  const interactionUrl = locationOf(start, run.issuer);
  const page = await browse(jar, interactionUrl);
  return { jar, interactionUrl, page, html: await page.text() };
}

describe('login page', () => {
  test('/auth sends the browser to its own /interaction/<uid> page', async () => {
    const { interactionUrl, page } = await openLoginForm();
    expect(interactionUrl).toMatch(new RegExp(`^${run.issuer}/interaction/[\\w-]+$`));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  test('looks like Universal Login and labels its fields', async () => {
    const { html, interactionUrl } = await openLoginForm();
    expect(html).toContain('demo-tenant');
    expect(html).toMatch(/<h1>Welcome<\/h1>/);
    expect(html).toContain('Log in to Keyshift to continue.');
    expect(html).toMatch(/<label for="email">Email<\/label>\s*<input id="email" name="email" type="email"/);
    expect(html).toMatch(
      /<label for="password">Password<\/label>\s*<input id="password" name="password" type="password"/,
    );
    expect(html).toMatch(/<button type="submit">Continue<\/button>/);
    const hints = [...html.matchAll(/<li><code>([^<]+)<\/code> — ([^<]+)<\/li>/g)].map(([, email, roles]) => [
      email,
      roles,
    ]);
    expect(hints).toEqual([
      ['alice@example.com', 'rotator'],
      ['bob@example.com', 'viewer'],
      ['carol@example.com', 'no role'],
      ['dave@example.com', 'rotator in dev, viewer in prod'],
    ]);
    // The form must post under /interaction/<uid>: the interaction cookie is scoped to that path.
    expect(readForm(html, run.issuer).action).toBe(interactionUrl);
    expect(html).not.toContain('role="alert"');
  });

  test('loads nothing from the network and allows only its own inline style', async () => {
    const { html, page } = await openLoginForm();
    expect(html).not.toMatch(/\b(src|href)=|@import|url\(/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("script-src 'none'");
  });
});

describe('wrong credentials', () => {
  test.each([
    { case: 'wrong password', email: 'alice@example.com', password: 'guess' },
    { case: 'unknown user', email: 'mallory@example.com', password: DEMO_PASSWORD },
    { case: 'empty password', email: 'bob@example.com', password: '' },
  ])('$case re-renders the form with an alert and keeps the email', async ({ email, password }) => {
    const { jar, interactionUrl } = await openLoginForm();
    const response = await postForm(jar, interactionUrl, { email, password });
    expect(response.status).toBe(200);
    expect(response.headers.get('location')).toBeNull();
    const html = await response.text();
    expect(html).toMatch(/<div class="error" id="login-error" role="alert">.*Wrong email or password\./);
    expect(html).toContain(`value="${email}"`);
    expect(html).toContain('aria-describedby="login-error"');
    // The password is never echoed back into the page.
    expect(/<input id="password"[^>]*>/.exec(html)?.[0]).not.toContain('value=');
  });

  test('the same interaction still accepts the right password afterwards', async () => {
    const { jar, interactionUrl } = await openLoginForm({ state: 'retry' });
    await postForm(jar, interactionUrl, { email: 'alice@example.com', password: 'nope' });
    const response = await postForm(jar, interactionUrl, { email: 'alice@example.com', password: DEMO_PASSWORD });
    const { url } = await followOnIssuer(jar, run.issuer, response);
    const callback = new URL(url ?? 'about:blank');
    expect(`${callback.origin}${callback.pathname}`).toBe(APP_CALLBACK);
    expect(callback.searchParams.get('state')).toBe('retry');
  });

  test('a hostile email is escaped, not executed', async () => {
    const { jar, interactionUrl } = await openLoginForm();
    const email = '"><script>alert(1)</script>';
    const html = await (await postForm(jar, interactionUrl, { email, password: 'x' })).text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });
});

describe('requests the issuer refuses', () => {
  test('posting the form without the interaction cookie shows an expiry page', async () => {
    const { interactionUrl } = await openLoginForm();
    const response = await postForm(new CookieJar(), interactionUrl, {
      email: 'alice@example.com',
      password: DEMO_PASSWORD,
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('Your login session has expired.');
  });

  test('an /auth request without PKCE goes back to the app with invalid_request', async () => {
    const response = await browse(new CookieJar(), authorizeUrl(run.issuer, { state: 'no-pkce' }));
    const back = new URL(locationOf(response, run.issuer));
    expect(`${back.origin}${back.pathname}`).toBe(APP_CALLBACK);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('state')).toBe('no-pkce');
  });

  test.each(['https://evil.example/api/auth/callback/auth0', 'http://127.0.0.1:3000/api/auth/callback/other'])(
    'an unregistered redirect_uri %s gets an error page, not a redirect',
    async (redirectUri) => {
      const url = authorizeUrl(run.issuer, { state: 'x', challenge: pkcePair().challenge, redirectUri });
      const response = await browse(new CookieJar(), url, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      const html = await response.text();
      expect(html).toContain('Something went wrong');
      expect(html).toContain('redirect_uri did not match any of the client');
    },
  );
});
