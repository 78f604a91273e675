import { HttpError } from '../http';
import { ringJwks } from '../keyring';
import type { Route } from '../router';

// Auth0 lets CDNs and clients cache JWKS briefly; a client that caches longer sees rotations late.
const JWKS_HEADERS = { 'cache-control': 'public, max-age=15, stale-while-revalidate=15, stale-if-error=86400' };

export const tenantJwksRoute: Route = {
  method: 'GET',
  template: '/.well-known/jwks.json',
  async handle({ services }) {
    return { status: 200, headers: JWKS_HEADERS, body: services.tokens.jwks };
  },
};

/**
 * A connection's public keys for its IdP to verify Auth0's client assertions. Connections that cannot have
 * keys are unknown here (404, body shape *unconfirmed*); a key-capable one without keys publishes `[]`.
 */
export const connectionJwksRoute: Route = {
  method: 'GET',
  template: '/oauth/connection/{name}/.well-known/jwks.json',
  async handle({ params, services: { tenant } }) {
    const connection = tenant.connectionByName(params.name ?? '');
    const capable = (strategy: string, options: Record<string, unknown>) =>
      (strategy === 'okta' || strategy === 'oidc') && options.token_endpoint_auth_method === 'private_key_jwt';
    if (!connection || !(capable(connection.strategy, connection.options) || tenant.hasKeys(connection.id))) {
      throw new HttpError({ status: 404, body: { error: 'not_found', error_description: 'Connection not found' } });
    }
    return { status: 200, headers: JWKS_HEADERS, body: ringJwks(await tenant.keyRing(connection.id)) };
  },
};
