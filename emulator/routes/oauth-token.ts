import { createHash, timingSafeEqual } from 'node:crypto';
import { TOKEN_LIFETIME_SECONDS } from '../access-tokens';
import { type HttpError, oauthError, readBody } from '../http';
import type { Route } from '../router';
import type { M2mClient } from '../tenant';

/** Grants Auth0 knows but these M2M clients are not allowed; anything else is unsupported. */
const KNOWN_GRANTS = [
  'authorization_code',
  'refresh_token',
  'password',
  'http://auth0.com/oauth/grant-type/password-realm',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:ietf:params:oauth:grant-type:token-exchange',
];

const asString = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** Constant-time secret comparison; hashing first makes the lengths equal. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** `client_secret_basic` as well as `client_secret_post`, as Auth0 accepts both. */
function basicCredentials(header: string | undefined): { id?: string; secret?: string } {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return {};
  const [id, ...rest] = Buffer.from(match[1], 'base64').toString('utf8').split(':');
  return { id: id && decodeURIComponent(id), secret: decodeURIComponent(rest.join(':')) };
}

export const oauthTokenRoute: Route = {
  method: 'POST',
  template: '/oauth/token',
  async handle({ req, services }) {
    const body = (await readBody(req, (status, message) => oauthError(status, 'invalid_request', message))) as Record<
      string,
      unknown
    >;
    const basic = basicCredentials(req.headers.authorization);
    const grantType = asString(body.grant_type);
    if (!grantType) throw oauthError(400, 'invalid_request', 'Missing required parameter: grant_type');
    if (grantType !== 'client_credentials') {
      if (KNOWN_GRANTS.includes(grantType)) {
        throw oauthError(403, 'unauthorized_client', `Grant type '${grantType}' not allowed for the client.`);
      }
      throw oauthError(400, 'unsupported_grant_type', `Unsupported grant type: ${grantType}`);
    }
    const clientId = asString(body.client_id) ?? basic.id;
    if (!clientId) throw oauthError(400, 'invalid_request', 'Missing required parameter: client_id');
    const client = services.clients.get(clientId);
    const secret = asString(body.client_secret) ?? basic.secret ?? '';
    if (!client || !sameSecret(secret, client.client_secret)) throw accessDenied('Unauthorized', 401);
    const audience = asString(body.audience);
    if (!audience) {
      throw accessDenied('No audience parameter was provided, and no default audience has been configured');
    }
    if (audience !== services.identity.managementAudience)
      throw accessDenied(`Service not enabled within domain: ${audience}`);
    const scopes = grantedScopes(client, asString(body.scope));
    const accessToken = await services.tokens.issue(client, scopes);
    return {
      status: 200,
      headers: { 'cache-control': 'no-store', pragma: 'no-cache' },
      body: {
        access_token: accessToken,
        scope: scopes.join(' '),
        expires_in: TOKEN_LIFETIME_SECONDS,
        token_type: 'Bearer',
      },
    };
  },
};

function accessDenied(description: string, status = 403): HttpError {
  return oauthError(status, 'access_denied', description);
}

/** No `scope` parameter: every granted scope. Asking for one not granted is refused, not trimmed. */
function grantedScopes(client: M2mClient, requested: string | undefined): readonly string[] {
  if (requested === undefined || requested.trim() === '') return client.scopes;
  const wanted = requested.split(/\s+/).filter(Boolean);
  const missing = wanted.filter((scope) => !client.scopes.includes(scope));
  if (missing.length > 0) throw accessDenied(`Client has not been granted scopes: ${missing.join(', ')}`);
  return wanted;
}
