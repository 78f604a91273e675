import './silence-runtime-warning';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DASHBOARD_CLIENT_ID, DEMO_PASSWORD } from './index';
import {
  APP_SIGNED_OUT,
  authorizeUrl,
  browse,
  type CookieJar,
  exchangeCode,
  locationOf,
  pkcePair,
  postForm,
  type RunningIssuer,
  readForm,
  signIn,
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

async function signedInWithIdToken(): Promise<{ jar: CookieJar; idToken: string }> {
  const { jar, callback, verifier } = await signIn(run.issuer, { email: 'alice@example.com', password: DEMO_PASSWORD });
  const tokens = await exchangeCode(run.issuer, {
    code: callback.searchParams.get('code') ?? '',
    code_verifier: verifier,
  });
  return { jar, idToken: String(tokens.body.id_token) };
}

/** What the browser does with the logout page: its script submits the form straight away. */
async function logOut(jar: CookieJar, params: Record<string, string>): Promise<Response> {
  const endSession = new URL('/session/end', run.issuer);
  endSession.search = new URLSearchParams(params).toString();
  const page = await browse(jar, endSession.href);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('document.forms[0].submit()');
  const { action, fields } = readForm(html, run.issuer);
  expect(fields).toMatchObject({ logout: 'yes' });
  return postForm(jar, action, fields);
}

describe('RP-initiated logout', () => {
  test.each([
    { hint: 'id_token_hint', postLogout: APP_SIGNED_OUT },
    { hint: 'client_id', postLogout: 'http://localhost:3000/' },
    { hint: 'client_id', postLogout: 'http://localhost:3999/signed-out' },
  ])('with $hint ends the session and returns to $postLogout', async ({ hint, postLogout }) => {
    const { jar, idToken } = await signedInWithIdToken();
    const identify: Record<string, string> =
      hint === 'id_token_hint' ? { id_token_hint: idToken } : { client_id: DASHBOARD_CLIENT_ID };

    const confirmed = await logOut(jar, { ...identify, post_logout_redirect_uri: postLogout, state: 'bye' });
    expect(confirmed.status).toBe(303);
    const back = new URL(locationOf(confirmed, run.issuer));
    expect(`${back.origin}${back.pathname}`).toBe(postLogout);
    expect(back.searchParams.get('state')).toBe('bye');

    // The SSO session is gone: a new sign-in asks for the password instead of returning a code.
    const again = await browse(jar, authorizeUrl(run.issuer, { state: 'after', challenge: pkcePair().challenge }));
    expect(locationOf(again, run.issuer)).toMatch(new RegExp(`^${run.issuer}/interaction/`));
  });

  test('an ID token from an earlier emulator process still logs out with client_id', async () => {
    const { jar } = await signedInWithIdToken();
    const stale = await new SignJWT({ sub: 'auth0|alice' })
      .setProtectedHeader({ alg: 'RS256', kid: 'previous-process' })
      .setIssuer(run.issuer)
      .setAudience(DASHBOARD_CLIENT_ID)
      .setIssuedAt()
      .sign((await generateKeyPair('RS256')).privateKey);
    const params = { id_token_hint: stale, client_id: DASHBOARD_CLIENT_ID, post_logout_redirect_uri: APP_SIGNED_OUT };
    const confirmed = await logOut(jar, params);
    expect(locationOf(confirmed, run.issuer)).toBe(APP_SIGNED_OUT);
  });

  test('the logout page allows exactly its own inline script', async () => {
    const { jar, idToken } = await signedInWithIdToken();
    const page = await browse(jar, `${run.issuer}/session/end?id_token_hint=${idToken}`);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
  });

  test('without a post_logout_redirect_uri it ends on a signed-out page', async () => {
    const { jar } = await signedInWithIdToken();
    const confirmed = await logOut(jar, { client_id: DASHBOARD_CLIENT_ID });
    const success = await browse(jar, locationOf(confirmed, run.issuer));
    expect(success.status).toBe(200);
    expect(await success.text()).toContain('You have been signed out');
  });

  test.each(['https://evil.example/signed-out', 'http://127.0.0.1:3000/elsewhere'])(
    'refuses the unregistered post_logout_redirect_uri %s',
    async (postLogout) => {
      const { jar, idToken } = await signedInWithIdToken();
      const url = new URL('/session/end', run.issuer);
      url.search = new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: postLogout }).toString();
      const response = await browse(jar, url.href, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).toContain('post_logout_redirect_uri not registered');
    },
  );
});
