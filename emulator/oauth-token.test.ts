import { Management } from 'auth0';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SEED_CLIENTS, SEED_CONNECTIONS } from './seed';
import { type RunningEmulator, startEmulator } from './server';
import { MANAGEMENT_AUDIENCE, TENANT_ISSUER } from './tenant';
import { armFault, call, calls, fetchToken, managementClient } from './test-support';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

const form = (fields: Record<string, string>) => ({
  body: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});
const m2m = {
  grant_type: 'client_credentials',
  client_id: 'demo-m2m',
  client_secret: 'demo-m2m-secret',
  audience: MANAGEMENT_AUDIENCE,
};

describe('POST /oauth/token (client credentials)', () => {
  test('issues an RS256 access token verifiable with the tenant JWKS', async () => {
    const response = await call(emulator.url, 'POST', '/oauth/token', form(m2m));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = response.body as { access_token: string; expires_in: number; scope: string; token_type: string };
    expect(body).toMatchObject({ expires_in: 86400, token_type: 'Bearer', scope: SEED_CLIENTS.m2m.scopes.join(' ') });

    const jwks = createRemoteJWKSet(new URL(`${emulator.url}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(body.access_token, jwks, {
      issuer: TENANT_ISSUER,
      audience: MANAGEMENT_AUDIENCE,
      algorithms: ['RS256'],
    });
    expect(protectedHeader.kid).toBeTruthy();
    expect(payload).toMatchObject({
      sub: 'demo-m2m@clients',
      azp: 'demo-m2m',
      gty: 'client-credentials',
      scope: body.scope,
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(86400);
  });

  test('accepts JSON bodies and HTTP Basic client authentication', async () => {
    const json = await call(emulator.url, 'POST', '/oauth/token', { body: m2m });
    expect(json.status).toBe(200);
    const basic = await call(emulator.url, 'POST', '/oauth/token', {
      ...form({ grant_type: 'client_credentials', audience: MANAGEMENT_AUDIENCE }),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('demo-readonly:demo-readonly-secret').toString('base64')}`,
      },
    });
    expect(basic.status).toBe(200);
    expect((basic.body as { scope: string }).scope).toBe(SEED_CLIENTS.readonly.scopes.join(' '));
  });

  test('a requested subset of granted scopes narrows the token', async () => {
    const response = await call(emulator.url, 'POST', '/oauth/token', form({ ...m2m, scope: 'read:connections' }));
    expect((response.body as { scope: string }).scope).toBe('read:connections');
  });

  test.each([
    [
      'wrong secret',
      { ...m2m, client_secret: 'nope' },
      401,
      { error: 'access_denied', error_description: 'Unauthorized' },
    ],
    [
      'unknown client',
      { ...m2m, client_id: 'someone' },
      401,
      { error: 'access_denied', error_description: 'Unauthorized' },
    ],
    [
      'no grant_type',
      { ...m2m, grant_type: '' },
      400,
      { error: 'invalid_request', error_description: 'Missing required parameter: grant_type' },
    ],
    [
      'a grant the client may not use',
      { ...m2m, grant_type: 'password' },
      403,
      { error: 'unauthorized_client', error_description: "Grant type 'password' not allowed for the client." },
    ],
    [
      'an unknown grant',
      { ...m2m, grant_type: 'magic' },
      400,
      { error: 'unsupported_grant_type', error_description: 'Unsupported grant type: magic' },
    ],
    [
      'no audience',
      { ...m2m, audience: '' },
      403,
      {
        error: 'access_denied',
        error_description: 'No audience parameter was provided, and no default audience has been configured',
      },
    ],
    [
      'another API',
      { ...m2m, audience: 'https://api.example/' },
      403,
      { error: 'access_denied', error_description: 'Service not enabled within domain: https://api.example/' },
    ],
    [
      'a scope not granted',
      { ...m2m, client_id: 'demo-readonly', client_secret: 'demo-readonly-secret', scope: 'update:connections_keys' },
      403,
      { error: 'access_denied', error_description: 'Client has not been granted scopes: update:connections_keys' },
    ],
  ])('%s → %i', async (_name, fields, status, expected) => {
    const response = await call(emulator.url, 'POST', '/oauth/token', form(fields));
    expect(response.status).toBe(status);
    expect(response.body).toEqual(expected);
  });

  test('the SDK fetches one token with its client credentials and reuses it', async () => {
    await call(emulator.url, 'DELETE', '/__emulator/calls');
    const sdk = managementClient(emulator.url);
    await sdk.connections.list({ take: 5 });
    await sdk.connections.keys.get(SEED_CONNECTIONS.oktaAcme.id);
    const counted = await calls(emulator.url);
    expect(counted['POST /oauth/token']).toBe(1);
    expect(counted['GET /api/v2/connections']).toBe(1);
    expect(counted['GET /api/v2/connections/{id}/keys']).toBe(1);
  });

  test('expire-tokens: every earlier token is refused; a fresh one works', async () => {
    const sdk = managementClient(emulator.url);
    const before = await fetchToken(emulator.url);
    await sdk.connections.list({ take: 1 });
    await armFault(emulator.url, { kind: 'expire-tokens' });

    const refused = await call(emulator.url, 'GET', '/api/v2/connections', { token: before });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ message: 'Expired token received for JSON Web Token validation' });
    // The SDK caches its token until expiry, so the client must notice the 401 and build a new client.
    const stale = await sdk.connections.list({ take: 1 }).catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(Management.UnauthorizedError);

    const fresh = await fetchToken(emulator.url);
    expect(decodeProtectedHeader(fresh).kid).toBe(decodeProtectedHeader(before).kid);
    expect((await call(emulator.url, 'GET', '/api/v2/connections', { token: fresh })).status).toBe(200);
    expect((await managementClient(emulator.url).connections.list({ take: 1 })).data).toHaveLength(1);
  });
});
