import './silence-runtime-warning';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DASHBOARD_CLIENT_ID, DEFAULT_ROLES_CLAIM, DEMO_PASSWORD } from './index';
import {
  APP_CALLBACK,
  authorizeUrl,
  browse,
  exchangeCode,
  followOnIssuer,
  locationOf,
  pkcePair,
  type RunningIssuer,
  signIn,
  startIssuer,
} from './test-support';

let run: RunningIssuer;

beforeAll(async () => {
  run = await startIssuer();
});

afterAll(async () => {
  await run.close();
  // Any server_error would mean a flow "passed" while the issuer was failing underneath.
  expect(run.logs).toEqual([]);
});

describe('discovery', () => {
  test('advertises the endpoints, PKCE and claims next-auth relies on', async () => {
    const response = await fetch(`${run.issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      issuer: run.issuer,
      authorization_endpoint: `${run.issuer}/auth`,
      token_endpoint: `${run.issuer}/token`,
      userinfo_endpoint: `${run.issuer}/me`,
      jwks_uri: `${run.issuer}/jwks`,
      end_session_endpoint: `${run.issuer}/session/end`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
    });
    expect(doc.id_token_signing_alg_values_supported).toContain('RS256');
    expect(doc.token_endpoint_auth_methods_supported).toContain('client_secret_basic');
    expect(doc.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'email']));
    expect(doc.claims_supported).toEqual(expect.arrayContaining(['email', 'name', DEFAULT_ROLES_CLAIM]));
  });

  test('publishes only the public half of an RS256 key', async () => {
    const { keys } = (await (await fetch(`${run.issuer}/jwks`)).json()) as { keys: Record<string, unknown>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(keys[0]).not.toHaveProperty('d');
  });
});

describe('authorization code + PKCE', () => {
  test.each([
    { email: 'alice@example.com', name: 'Alice Rotator', sub: 'auth0|alice', roles: ['rotator'] },
    { email: 'bob@example.com', name: 'Bob Viewer', sub: 'auth0|bob', roles: ['viewer'] },
    { email: 'carol@example.com', name: 'Carol Nobody', sub: 'auth0|carol', roles: [] },
    { email: 'dave@example.com', name: 'Dave Developer', sub: 'auth0|dave', roles: ['rotator:dev', 'viewer:prod'] },
  ])('$email signs in and gets an ID token with roles $roles', async ({ email, name, sub, roles }) => {
    const nonce = `nonce-${sub}`;
    const { callback, verifier } = await signIn(run.issuer, { email, password: DEMO_PASSWORD, state: 's-42', nonce });

    expect(`${callback.origin}${callback.pathname}`).toBe(APP_CALLBACK);
    expect(callback.searchParams.get('state')).toBe('s-42');
    expect(callback.searchParams.get('iss')).toBe(run.issuer);
    const code = callback.searchParams.get('code');
    expect(code).toBeTruthy();

    const tokens = await exchangeCode(run.issuer, { code: code ?? '', code_verifier: verifier });
    expect(tokens.status).toBe(200);
    expect(tokens.body.token_type).toBe('Bearer');
    expect(String(tokens.body.scope).split(' ').sort()).toEqual(['email', 'openid', 'profile']);

    const jwks = createRemoteJWKSet(new URL(`${run.issuer}/jwks`));
    const { payload, protectedHeader } = await jwtVerify(String(tokens.body.id_token), jwks, {
      issuer: run.issuer,
      audience: DASHBOARD_CLIENT_ID,
      algorithms: ['RS256'],
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({ sub, email, email_verified: true, name, nonce, [DEFAULT_ROLES_CLAIM]: roles });

    const userinfo = await fetch(`${run.issuer}/me`, {
      headers: { authorization: `Bearer ${String(tokens.body.access_token)}` },
    });
    expect(userinfo.status).toBe(200);
    expect(await userinfo.json()).toMatchObject({ sub, email, name, [DEFAULT_ROLES_CLAIM]: roles });
  });

  test('an existing session signs in again without the form or a consent page', async () => {
    const { jar } = await signIn(run.issuer, { email: 'alice@example.com', password: DEMO_PASSWORD });
    const { challenge } = pkcePair();
    const again = await browse(jar, authorizeUrl(run.issuer, { state: 'again', challenge }));
    const { url } = await followOnIssuer(jar, run.issuer, again);
    const back = new URL(url ?? 'about:blank');
    expect(back.searchParams.get('state')).toBe('again');
    expect(back.searchParams.get('code')).toBeTruthy();
  });

  test('a wider scope for a signed-in user is granted without a consent page', async () => {
    const password = DEMO_PASSWORD;
    const { jar } = await signIn(run.issuer, { email: 'bob@example.com', password, scope: 'openid email' });
    const { verifier, challenge } = pkcePair();
    const wider = await browse(jar, authorizeUrl(run.issuer, { state: 'wider', challenge }));
    // The issuer asks its interaction for consent; that step grants it and redirects on by itself.
    expect(locationOf(wider, run.issuer)).toMatch(new RegExp(`^${run.issuer}/interaction/`));
    const { url } = await followOnIssuer(jar, run.issuer, wider);
    const code = new URL(url ?? 'about:blank').searchParams.get('code') ?? '';
    const tokens = await exchangeCode(run.issuer, { code, code_verifier: verifier });
    expect(String(tokens.body.scope).split(' ').sort()).toEqual(['email', 'openid', 'profile']);
  });

  test('a redirect URI on another loopback port is accepted', async () => {
    const redirectUri = 'http://localhost:3123/api/auth/callback/auth0';
    const { challenge } = pkcePair();
    const { jar } = await signIn(run.issuer, { email: 'bob@example.com', password: DEMO_PASSWORD });
    const response = await browse(jar, authorizeUrl(run.issuer, { state: 'p', challenge, redirectUri }));
    const { url } = await followOnIssuer(jar, run.issuer, response);
    expect(url?.startsWith(`${redirectUri}?code=`)).toBe(true);
  });
});

describe('token endpoint rejects', () => {
  test.each([
    { case: 'a wrong PKCE verifier', verifier: () => pkcePair().verifier, secret: undefined, status: 400 },
    { case: 'a missing PKCE verifier', verifier: () => undefined, secret: undefined, status: 400 },
    { case: 'a wrong client secret', verifier: (right: string) => right, secret: 'not-the-secret', status: 401 },
  ])('$case', async ({ verifier, secret, status }) => {
    const signedIn = await signIn(run.issuer, { email: 'alice@example.com', password: DEMO_PASSWORD });
    const code = signedIn.callback.searchParams.get('code') ?? '';
    const codeVerifier = verifier(signedIn.verifier);
    const fields: Record<string, string> =
      codeVerifier === undefined ? { code } : { code, code_verifier: codeVerifier };
    const result = await exchangeCode(run.issuer, fields, secret);
    expect(result.status).toBe(status);
    expect(result.body).not.toHaveProperty('id_token');
  });

  test('a code used twice', async () => {
    const { callback, verifier } = await signIn(run.issuer, { email: 'bob@example.com', password: DEMO_PASSWORD });
    const fields = { code: callback.searchParams.get('code') ?? '', code_verifier: verifier };
    expect((await exchangeCode(run.issuer, fields)).status).toBe(200);
    const replay = await exchangeCode(run.issuer, fields);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
  });
});
