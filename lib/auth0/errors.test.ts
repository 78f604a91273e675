import { ManagementError, ManagementTimeoutError } from 'auth0';
import { describe, expect, test } from 'vitest';
import { ManagementTokenError, toAuth0Error } from './errors';

function managementError(
  statusCode: number | undefined,
  body: unknown,
  headers: Record<string, string> = {},
  message?: string,
) {
  return new ManagementError({
    message,
    statusCode,
    body,
    rawResponse: {
      headers: new Headers(headers),
      redirected: false,
      status: statusCode ?? 0,
      statusText: '',
      type: 'basic',
      url: '',
    },
  });
}

describe('toAuth0Error', () => {
  test.each([
    [
      '400 with Auth0’s message',
      managementError(400, { statusCode: 400, message: 'Key rotation is not supported on this connection' }),
      'auth0:bad_request',
      /not supported on this connection/,
      false,
    ],
    [
      '401 on the API',
      managementError(401, { statusCode: 401, message: 'Invalid token' }),
      'auth0:unauthorized',
      /access token/,
      false,
    ],
    [
      '401 access_denied from /oauth/token',
      managementError(401, { error: 'access_denied', error_description: 'Unauthorized' }),
      'auth0:invalid_credentials',
      /AUTH0_CLIENT_ID/,
      false,
    ],
    [
      '403 naming scopes',
      managementError(403, {
        statusCode: 403,
        message: 'Insufficient scope; expected all of: create:connections_keys, update:connections_keys.',
        errorCode: 'insufficient_scope',
      }),
      'auth0:forbidden',
      /lacks the scopes create:connections_keys, update:connections_keys/,
      false,
    ],
    [
      '404',
      managementError(404, { statusCode: 404, message: 'Connection not found.' }),
      'auth0:not_found',
      /no such connection/,
      false,
    ],
    [
      '409',
      managementError(409, { statusCode: 409, message: 'Keys have already been created for this connection.' }),
      'auth0:conflict',
      /already been created/,
      false,
    ],
    [
      '429 with x-ratelimit-reset',
      managementError(429, { statusCode: 429 }, { 'x-ratelimit-reset': '1893456000' }),
      'auth0:rate_limited',
      /after 2030-01-01 00:00:00 UTC/,
      false,
    ],
    ['429 without headers', managementError(429, {}), 'auth0:rate_limited', /in a few seconds/, false],
    ['500', managementError(500, { statusCode: 500 }), 'auth0:upstream', /status 500/, true],
    ['503', managementError(503, 'Service Unavailable'), 'auth0:upstream', /status 503/, true],
    ['408 from the token request', managementError(408, undefined), 'auth0:timeout', /in time/, true],
    [
      'the SDK’s status-less timeout (Node 20)',
      managementError(undefined, undefined, {}, 'timeout'),
      'auth0:timeout',
      /in time/,
      true,
    ],
    ['a non-JSON body', managementError(undefined, '{"kid":"abc', {}), 'auth0:upstream', /could not read/, true],
    ['ManagementTimeoutError', new ManagementTimeoutError('Timeout exceeded'), 'auth0:timeout', /in time/, true],
    [
      'a reset connection',
      new TypeError('fetch failed', { cause: new Error('ECONNRESET') }),
      'auth0:unreachable',
      /could not reach/,
      true,
    ],
    ['anything else', new Error('boom'), 'auth0:upstream', /did not understand/, true],
  ])('%s → %s', (_label, error, code, message, ambiguous) => {
    const mapped = toAuth0Error(error);
    expect(mapped.code).toBe(code);
    expect(mapped.message).toMatch(message);
    expect(mapped.details.ambiguous === true).toBe(ambiguous);
  });

  test('the missing scopes are kept as data', () => {
    const mapped = toAuth0Error(
      managementError(403, { message: 'Insufficient scope; expected all of: read:connections.' }),
    );
    expect(mapped.details.missingScopes).toEqual(['read:connections']);
  });
});

describe('toAuth0Error on a failed token request', () => {
  const tokenError = (statusCode: number, body: unknown, message = 'ManagementClient: token request failed') =>
    new ManagementTokenError(new ManagementError({ message, statusCode, body }));
  test.each([
    ['503', tokenError(503, { error: 'server_error' }), 'auth0:token_unavailable', /token endpoint answered 503/],
    ['500', tokenError(500, { error: 'server_error' }), 'auth0:token_unavailable', /token endpoint answered 500/],
    [
      'the SDK’s 10 s token timeout',
      tokenError(408, undefined, 'ManagementClient: token request timed out'),
      'auth0:token_unavailable',
      /did not answer in time/,
    ],
    [
      'a dropped connection',
      new ManagementTokenError(new TypeError('fetch failed', { cause: new Error('other side closed') })),
      'auth0:token_unavailable',
      /could not be reached/,
    ],
    [
      'a cut-off body',
      new ManagementTokenError(new SyntaxError('Unterminated string in JSON at position 530')),
      'auth0:token_unavailable',
      /could not read/,
    ],
    [
      'refused credentials',
      tokenError(401, { error: 'access_denied', error_description: 'Unauthorized' }),
      'auth0:invalid_credentials',
      /AUTH0_CLIENT_SECRET/,
    ],
    ['a rate limit', tokenError(429, { error: 'too_many_requests' }), 'auth0:rate_limited', /rate limit/],
  ])('%s → %s, never ambiguous: Auth0 changed nothing', (_label, error, code, message) => {
    const mapped = toAuth0Error(error);
    expect(mapped.code).toBe(code);
    expect(mapped.message).toMatch(message);
    if (code === 'auth0:token_unavailable')
      expect(mapped.message).toMatch(/^Keyshift could not get a Management API token/);
    expect(mapped.details.ambiguous === true).toBe(false);
  });
});
