import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JSONWebKeySet } from 'jose';
import Provider, { type Client, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { dashboardClient, matchesLoopbackOnAnyPort, type OidcClient, toClientMetadata } from './clients';
import { DEFAULT_ROLES_CLAIM, type DemoUser, demoUsers, findUserBySub, userClaims } from './demo-users';
import { createInteractionHandler, INTERACTION_PATH } from './interaction';
import { createMemoryAdapterFactory } from './memory-adapter';
import { assignPage, sendPage } from './page-shell';
import { errorPage, logoutPage, signedOutPage } from './pages';
import { createStaleLogoutHintFilter } from './stale-logout-hint';

export type { OidcClient } from './clients';
export { DASHBOARD_CLIENT_ID, DASHBOARD_CLIENT_SECRET, dashboardClient } from './clients';
export type { DemoUser } from './demo-users';
export { DEFAULT_ROLES_CLAIM, DEMO_PASSWORD } from './demo-users';

export interface OidcIssuerOptions {
  /** The issuer origin, e.g. http://127.0.0.1:4010; every OIDC route is served at its root. */
  issuer: string;
  /** Defaults to the Keyshift dashboard client (see dashboardClient, which also reads OIDC_REDIRECT_URIS). */
  clients?: OidcClient[];
  /** The namespaced claim an Auth0 Action would add the user's roles under. */
  rolesClaim?: string;
  /** Receives one line per unexpected server error; never tokens, secrets or passwords. Defaults to console.error. */
  log?: (line: string) => void;
}

export interface OidcIssuer {
  handle(req: IncomingMessage, res: ServerResponse): void;
  demoUsers: readonly DemoUser[];
}

const HOUR = 60 * 60;

// Roughly Auth0's defaults for a regular web app: short codes, hour-long tokens, a working day of SSO.
const TTL_SECONDS = {
  AuthorizationCode: 60,
  AccessToken: HOUR,
  IdToken: HOUR,
  Interaction: 15 * 60,
  Session: 8 * HOUR,
  Grant: 8 * HOUR,
  RefreshToken: 8 * HOUR,
};

function issuerOrigin(issuer: string): string {
  const url = new URL(issuer);
  if (url.pathname !== '/' || url.search || url.hash) {
    throw new Error(`OIDC issuer must be a bare origin such as http://127.0.0.1:4010, got ${issuer}`);
  }
  return url.origin;
}

// A fresh key per process is fine: relying parties re-fetch /jwks when they meet an unknown kid.
async function signingKeys(): Promise<{ signing: { keys: Record<string, unknown>[] }; verifying: JSONWebKeySet }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const meta = { kid, alg: 'RS256', use: 'sig' };
  return {
    signing: { keys: [{ ...(await exportJWK(privateKey)), ...meta }] },
    verifying: { keys: [{ ...publicJwk, ...meta }] },
  };
}

/** Lets a registered loopback redirect also match on another port (see matchesLoopbackOnAnyPort). */
function allowLoopbackPorts(ClientModel: typeof Client): void {
  const { redirectUriAllowed, postLogoutRedirectUriAllowed } = ClientModel.prototype;
  ClientModel.prototype.redirectUriAllowed = function (this: Client, uri: string) {
    return redirectUriAllowed.call(this, uri) || matchesLoopbackOnAnyPort(uri, this.redirectUris);
  };
  ClientModel.prototype.postLogoutRedirectUriAllowed = function (this: Client, uri: string) {
    return postLogoutRedirectUriAllowed.call(this, uri) || matchesLoopbackOnAnyPort(uri, this.postLogoutRedirectUris);
  };
}

const describeError = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

export async function createOidcIssuer(options: OidcIssuerOptions): Promise<OidcIssuer> {
  const issuer = issuerOrigin(options.issuer);
  const clients = options.clients ?? [dashboardClient()];
  const rolesClaim = options.rolesClaim ?? DEFAULT_ROLES_CLAIM;
  const log = options.log ?? ((line: string) => console.error(line));
  // Behind https the emulator would sit behind a TLS-terminating proxy; on plain-http loopback nothing is secure.
  const secure = new URL(issuer).protocol === 'https:';
  const cookieOptions = { httpOnly: true, sameSite: 'lax', secure };
  const keys = await signingKeys();

  const configuration: Configuration = {
    adapter: createMemoryAdapterFactory(),
    clients: clients.map(toClientMetadata),
    jwks: keys.signing,
    cookies: { keys: [randomBytes(32).toString('base64url')], long: cookieOptions, short: cookieOptions },
    claims: {
      openid: ['sub', rolesClaim],
      email: ['email', 'email_verified'],
      profile: ['name', 'nickname', 'picture'],
    },
    // Auth0 puts profile, email and custom claims in the ID token itself; the spec default would keep them
    // for /userinfo only, and next-auth reads the ID token.
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: { required: () => true },
    ttl: TTL_SECONDS,
    routes: {
      authorization: '/auth',
      token: '/token',
      userinfo: '/me',
      jwks: '/jwks',
      end_session: '/session/end',
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: KoaContextWithOIDC, form: string) => assignPage(ctx, logoutPage(form)),
        postLogoutSuccessSource: async (ctx: KoaContextWithOIDC) =>
          assignPage(ctx, signedOutPage(ctx.oidc.client?.clientName)),
      },
    },
    interactions: {
      url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
    // Only the app's server talks to /token and /me; no browser origin needs CORS there.
    clientBasedCORS: () => false,
    findAccount: async (_ctx, sub) => {
      const user = findUserBySub(sub);
      return user && { accountId: user.sub, claims: () => userClaims(user, rolesClaim) };
    },
    renderError: async (ctx, out) => {
      const details = [out.error, out.error_description].filter(Boolean).join(': ');
      const message = 'The sign-in request could not be completed. Go back to the app and try again.';
      assignPage(ctx, errorPage({ heading: 'Something went wrong', message, details }));
    },
  };

  const provider = new Provider(issuer, configuration);
  provider.proxy = secure;
  allowLoopbackPorts(provider.Client);
  provider.on('server_error', (_ctx, error) => log(`oidc issuer server_error: ${describeError(error)}`));

  const clientNames = new Map(clients.map((client) => [client.clientId, client.name ?? client.clientId]));
  const handleInteraction = createInteractionHandler({
    provider,
    users: demoUsers,
    appNameFor: (clientId) => clientNames.get(clientId) ?? clientId,
  });
  const handleProtocol = provider.callback();
  const dropStaleLogoutHint = createStaleLogoutHintFilter(keys.verifying);

  const dispatch = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    const uid = INTERACTION_PATH.exec(path)?.[1];
    if (uid !== undefined) return handleInteraction(req, res, uid);
    await dropStaleLogoutHint(req);
    return handleProtocol(req, res);
  };

  return {
    demoUsers,
    handle(req, res) {
      dispatch(req, res).catch((error: unknown) => {
        log(`oidc issuer failed on ${req.method} ${(req.url ?? '').split('?', 1)[0]}: ${describeError(error)}`);
        if (res.headersSent) {
          res.end();
          return;
        }
        const message = 'The login service hit an unexpected error. Try again.';
        sendPage(res, 500, errorPage({ heading: 'Something went wrong', message }));
      });
    },
  };
}
