import type { ClientMetadata } from 'oidc-provider';

export interface OidcClient {
  clientId: string;
  clientSecret: string;
  /** Shown on the login page ("Log in to <name> to continue."). */
  name?: string;
  redirectUris: readonly string[];
  postLogoutRedirectUris?: readonly string[];
  /** oidc-provider allows one method per client; next-auth (openid-client) defaults to client_secret_basic. */
  tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post';
}

export const DASHBOARD_CLIENT_ID = 'keyshift-dashboard';
export const DASHBOARD_CLIENT_SECRET = 'keyshift-dashboard-secret';

const CALLBACK_PATH = '/api/auth/callback/auth0';
const POST_LOGOUT_PATHS = ['/', '/signed-out'];
const DEFAULT_APP_ORIGINS = ['http://localhost:3000', 'http://127.0.0.1:3000'];

function parseUriList(raw: string | undefined, variable: string): string[] {
  const uris = (raw ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  for (const uri of uris) {
    if (!URL.canParse(uri)) throw new Error(`${variable} contains an invalid URL: ${uri}`);
  }
  return uris;
}

const unique = (values: Iterable<string>) => [...new Set(values)];

/**
 * The dashboard's client. Extra app URLs come from `OIDC_REDIRECT_URIS` (comma-separated callback URLs); each
 * such app origin also gets `/` and `/signed-out` as logout targets, plus anything in
 * `OIDC_POST_LOGOUT_REDIRECT_URIS`.
 */
export function dashboardClient(env: Record<string, string | undefined> = process.env): OidcClient {
  const extraRedirects = parseUriList(env.OIDC_REDIRECT_URIS, 'OIDC_REDIRECT_URIS');
  const extraPostLogout = parseUriList(env.OIDC_POST_LOGOUT_REDIRECT_URIS, 'OIDC_POST_LOGOUT_REDIRECT_URIS');
  const appOrigins = unique([...DEFAULT_APP_ORIGINS, ...extraRedirects.map((uri) => new URL(uri).origin)]);
  return {
    clientId: DASHBOARD_CLIENT_ID,
    clientSecret: DASHBOARD_CLIENT_SECRET,
    name: 'Keyshift',
    redirectUris: unique([...DEFAULT_APP_ORIGINS.map((origin) => `${origin}${CALLBACK_PATH}`), ...extraRedirects]),
    postLogoutRedirectUris: unique([
      ...appOrigins.flatMap((origin) => POST_LOGOUT_PATHS.map((path) => new URL(path, origin).href)),
      ...extraPostLogout,
    ]),
    tokenEndpointAuthMethod: 'client_secret_basic',
  };
}

export function toClientMetadata(client: OidcClient): ClientMetadata {
  return {
    client_id: client.clientId,
    client_secret: client.clientSecret,
    client_name: client.name,
    redirect_uris: [...client.redirectUris],
    post_logout_redirect_uris: [...(client.postLogoutRedirectUris ?? [])],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: client.tokenEndpointAuthMethod ?? 'client_secret_basic',
    id_token_signed_response_alg: 'RS256',
  };
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function loopbackWithoutPort(uri: string): string | undefined {
  const url = URL.parse(uri);
  if (url?.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  if (url.username || url.password || url.hash) return undefined;
  return `${url.hostname}${url.pathname}${url.search}`;
}

/**
 * RFC 8252 §7.3-style leniency: a registered loopback URL matches the same URL on any port, so the app can run
 * on whatever port the demo or a test picked. Only plain-http loopback URLs qualify, never a real host.
 */
export function matchesLoopbackOnAnyPort(candidate: string, registered: readonly string[]): boolean {
  const wanted = loopbackWithoutPort(candidate);
  return wanted !== undefined && registered.some((uri) => loopbackWithoutPort(uri) === wanted);
}
