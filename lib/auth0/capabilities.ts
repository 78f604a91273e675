import 'server-only';
export const KEY_CAPABLE_STRATEGIES = ['okta', 'oidc'] as const;

interface ConnectionShape {
  strategy?: string | null;
  options?: Record<string, unknown> | null;
}

/** Auth0 keeps keys only for Okta/OIDC connections using Private Key JWT on the back channel (AUTH0_API.md). */
export function keysUnsupportedReason(connection: ConnectionShape): string | null {
  const strategy = connection.strategy ?? '';
  if (!(KEY_CAPABLE_STRATEGIES as readonly string[]).includes(strategy)) {
    return `Auth0 keeps signing keys only for Okta and OpenID Connect connections; this one uses the ${strategy || 'unknown'} strategy.`;
  }
  const options = connection.options ?? {};
  if (options.type !== 'back_channel' || options.token_endpoint_auth_method !== 'private_key_jwt') {
    return 'This connection does not authenticate to its identity provider with Private Key JWT, so it has no signing keys.';
  }
  return null;
}

export function isKeyCapable(connection: ConnectionShape): boolean {
  return keysUnsupportedReason(connection) === null;
}
