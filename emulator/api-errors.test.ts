import { Management } from 'auth0';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SEED_CLIENTS, SEED_CONNECTIONS } from './seed';
import { type RunningEmulator, startEmulator } from './server';
import { MANAGEMENT_AUDIENCE, TENANT_ISSUER } from './tenant';
import { call, fetchToken, managementClient, mintToken } from './test-support';

let emulator: RunningEmulator;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  emulator = await startEmulator();
  tokens.m2m = await fetchToken(emulator.url);
  tokens.readonly = await fetchToken(emulator.url, SEED_CLIENTS.readonly);
  tokens.createOnly = await mintToken(emulator.url, { client_id: 'demo-m2m', scope: 'create:connections_keys' });
  tokens.expired = await mintToken(emulator.url, { client_id: 'demo-m2m', expires_in: -60 });
  const foreign = await generateKeyPair('RS256');
  tokens.forged = await new SignJWT({ scope: 'create:connections_keys update:connections_keys', azp: 'demo-m2m' })
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(TENANT_ISSUER)
    .setAudience(MANAGEMENT_AUDIENCE)
    .setSubject('demo-m2m@clients')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(foreign.privateKey);
});
afterAll(() => emulator.close());

const { oktaAcme, oktaWayne, oidcSoylent, oidcCyberdyne, samlTyrell, database } = SEED_CONNECTIONS;
const MISSING = 'con_DoesNotExist0000';

type Auth = keyof typeof tokens | { header: string };
interface Request {
  method: 'GET' | 'POST';
  path: string;
  auth?: Auth;
  body?: unknown;
  contentType?: string;
}

const rotate = (id: string, auth?: Auth, body?: unknown, contentType?: string): Request => ({
  method: 'POST',
  path: `/api/v2/connections/${id}/keys/rotate`,
  auth,
  body,
  contentType,
});
const provision = (id: string, auth: Auth): Request => ({
  method: 'POST',
  path: `/api/v2/connections/${id}/keys`,
  auth,
});
const read = (path: string, auth?: Auth): Request => ({ method: 'GET', path, auth });

const UNSUPPORTED = {
  message: 'Key rotation is not supported on this connection',
  errorCode: 'operation_not_supported',
};
const NOT_JWT_AUTH = { message: 'Connection is not configured to use JWT Client Authentication' };
const NOT_FOUND = {
  statusCode: 404,
  error: 'Not Found',
  message: 'Connection not found.',
  errorCode: 'inexistent_connection',
};
const bodyError = (message: string) => ({ statusCode: 400, error: 'Bad Request', message, errorCode: 'invalid_body' });
const unauthorized = (message: string) => ({ statusCode: 401, error: 'Unauthorized', message });
const forbidden = (scopes: string) => ({
  statusCode: 403,
  error: 'Forbidden',
  message: `Insufficient scope; expected all of: ${scopes}.`,
  errorCode: 'insufficient_scope',
});
const BOTH_SCOPES = 'create:connections_keys, update:connections_keys';
const BAD_ALG = `Payload validation error: 'No enum match for: "HS256"' on property signing_alg (Selected Signing Algorithm).`;

const CASES: Array<[string, Request, number, Record<string, unknown>]> = [
  ['rotate a SAML connection', rotate(samlTyrell.id, 'm2m', {}), 400, UNSUPPORTED],
  ['rotate a database connection', rotate(database.id, 'm2m'), 400, UNSUPPORTED],
  ['read keys of a SAML connection', read(`/api/v2/connections/${samlTyrell.id}/keys`, 'm2m'), 400, UNSUPPORTED],
  ['rotate an OIDC client_secret_post connection', rotate(oidcSoylent.id, 'm2m', {}), 400, NOT_JWT_AUTH],
  ['rotate a front-channel OIDC connection', rotate(oidcCyberdyne.id, 'm2m'), 400, NOT_JWT_AUTH],
  [
    'rotate before any keys exist',
    rotate(oktaWayne.id, 'm2m'),
    400,
    { message: 'Keys have not been created for this connection.' },
  ],
  ['unknown signing_alg', rotate(oktaAcme.id, 'm2m', { signing_alg: 'HS256' }), 400, bodyError(BAD_ALG)],
  [
    'unknown body property',
    rotate(oktaAcme.id, 'm2m', { alg: 'RS256' }),
    400,
    bodyError(`Payload validation error: 'Additional properties not allowed: alg'.`),
  ],
  [
    'malformed JSON',
    rotate(oktaAcme.id, 'm2m', '{"signing_alg":', 'application/json'),
    400,
    bodyError('Invalid request payload JSON format'),
  ],
  ['missing token', rotate(oktaAcme.id), 401, unauthorized('Missing authentication')],
  ['garbage token', read('/api/v2/connections', { header: 'Bearer not-a-jwt' }), 401, unauthorized('Invalid token')],
  [
    'wrong scheme',
    read('/api/v2/connections', { header: 'Basic ZGVtbzpkZW1v' }),
    401,
    unauthorized('Bad HTTP authentication header format'),
  ],
  [
    'expired token',
    rotate(oktaAcme.id, 'expired'),
    401,
    unauthorized('Expired token received for JSON Web Token validation'),
  ],
  [
    'token signed by another key',
    rotate(oktaAcme.id, 'forged'),
    401,
    unauthorized('Invalid signature received for JSON Web Token validation'),
  ],
  ['read-only client rotating', rotate(oktaAcme.id, 'readonly'), 403, forbidden(BOTH_SCOPES)],
  ['create-only token rotating (both scopes named)', rotate(oktaAcme.id, 'createOnly'), 403, forbidden(BOTH_SCOPES)],
  ['read-only client provisioning', provision(oktaWayne.id, 'readonly'), 403, forbidden('create:connections_keys')],
  ['create-only token listing', read('/api/v2/connections', 'createOnly'), 403, forbidden('read:connections')],
  ['rotate an unknown connection', rotate(MISSING, 'm2m'), 404, NOT_FOUND],
  ['keys of an unknown connection', read(`/api/v2/connections/${MISSING}/keys`, 'm2m'), 404, NOT_FOUND],
  [
    'an unknown connection',
    read(`/api/v2/connections/${MISSING}`, 'm2m'),
    404,
    { message: 'The connection does not exist', errorCode: 'inexistent_connection' },
  ],
  [
    'provision keys twice',
    provision(oktaAcme.id, 'm2m'),
    409,
    { statusCode: 409, error: 'Conflict', message: 'Keys have already been created for this connection.' },
  ],
];

describe('Management API errors', () => {
  test.each(CASES)('%s → %i', async (_name, { method, path, auth, body, contentType }, status, expected) => {
    const headers = {
      ...(typeof auth === 'object' ? { authorization: auth.header } : {}),
      ...(contentType ? { 'content-type': contentType } : {}),
    };
    const token = typeof auth === 'string' ? tokens[auth] : undefined;
    const response = await call(emulator.url, method, path, { token, body, headers });
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject(expected);
    // Every Management API answer carries the rate-limit headers, errors included.
    expect(response.headers.get('x-ratelimit-limit')).toBe('200');
  });

  test('the SDK surfaces the 403 as ForbiddenError with the same body', async () => {
    const sdk = managementClient(emulator.url, SEED_CLIENTS.readonly);
    const error = await sdk.connections.keys
      .rotate(oktaAcme.id, {}, { maxRetries: 0 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Management.ForbiddenError);
    expect((error as Management.ForbiddenError).body).toEqual(
      forbidden('create:connections_keys, update:connections_keys'),
    );
  });

  test('bodies may be form-urlencoded', async () => {
    const response = await call(emulator.url, 'POST', `/api/v2/connections/${oktaAcme.id}/keys/rotate`, {
      token: tokens.m2m,
      body: 'signing_alg=ES256',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ algorithm: 'ES256', next: true });
  });
});
