import type { ClientAuth, SeedConnection } from './seed';
import { connectionIdFor, idpClientIdFor } from './seed-ids';
import type { Connection, SigningAlg } from './tenant';
import type { TenantSeed } from './tenant-seed';

/** A connection plus the keys it is seeded with (generated lazily, on first use). */
export interface SeededConnection {
  connection: Connection;
  plannedKeys?: SigningAlg;
}

/** The tenant's seed connections followed by `extra` generated ones, in listing order. */
export function buildTenantConnections(tenant: TenantSeed, extra = 0): SeededConnection[] {
  const seeded: SeededConnection[] = tenant.connections.map((seed) => ({
    connection: toConnection(seed, tenant.idSalt),
    plannedKeys: seed.keys,
  }));
  for (let i = 1; i <= extra; i++) seeded.push(generatedConnection(i, tenant.idSalt));
  return seeded;
}

function toConnection(seed: SeedConnection, salt: string): Connection {
  return {
    id: seed.id,
    name: seed.name,
    display_name: seed.displayName,
    strategy: seed.strategy,
    options: optionsFor(seed, salt),
    realms: [seed.name],
    is_domain_connection: false,
    ...(seed.strategy === 'auth0' ? {} : { show_as_button: true }),
    metadata: {},
  };
}

function optionsFor(seed: SeedConnection, salt: string): Record<string, unknown> {
  const host = seed.idpHost ?? 'idp.example';
  switch (seed.strategy) {
    case 'okta':
    case 'oidc':
      return oidcOptions(seed, host, salt);
    case 'samlp':
      return {
        signInEndpoint: `https://${host}/adfs/ls/`,
        signatureAlgorithm: 'rsa-sha256',
        digestAlgorithm: 'sha256',
        protocolBinding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
        domain_aliases: [host.split('.').slice(1).join('.')],
      };
    case 'waad':
      return {
        tenant_domain: host,
        client_id: idpClientIdFor(seed.name, salt),
        waad_protocol: 'openid-connect',
        identity_api: 'microsoft-identity-platform-v2.0',
        domain_aliases: [host],
      };
    case 'google-oauth2':
      return { email: true, profile: true, scope: ['email', 'profile'] };
    default:
      return {
        brute_force_protection: true,
        passwordPolicy: 'good',
        password_complexity_options: { min_length: 8 },
        disable_signup: false,
        requires_username: false,
      };
  }
}

function oidcOptions(seed: SeedConnection, host: string, salt: string): Record<string, unknown> {
  const issuer = seed.strategy === 'okta' ? `https://${host}` : `https://${host}/`;
  const base = seed.strategy === 'okta' ? `https://${host}/oauth2/v1` : `https://${host}/oauth2`;
  const auth = seed.clientAuth ?? 'private_key_jwt';
  const options: Record<string, unknown> = {
    ...(seed.strategy === 'okta' ? { domain: host } : { discovery_url: `${issuer}.well-known/openid-configuration` }),
    client_id: idpClientIdFor(seed.name, salt),
    issuer,
    authorization_endpoint: `${base}/authorize`,
    token_endpoint: `${base}/token`,
    userinfo_endpoint: `${base}/userinfo`,
    jwks_uri: `${base}/keys`,
    scope: 'openid profile email',
    type: auth === 'front_channel' ? 'front_channel' : 'back_channel',
  };
  if (auth === 'private_key_jwt') {
    options.token_endpoint_auth_method = 'private_key_jwt';
    // Left as seeded: whether Auth0 updates it when a rotation changes the algorithm is unknown.
    options.token_endpoint_auth_signing_alg = seed.keys ?? 'RS256';
  } else if (auth === 'client_secret_post') {
    options.token_endpoint_auth_method = 'client_secret_post';
    // Real Auth0 returns the IdP client secret in options; consumers must not leak it.
    options.client_secret = 'emulated-idp-client-secret-not-real';
  }
  return options;
}

/**
 * Generated customers for the large tenant: most are key-capable Okta/OIDC connections (one in ten of those
 * still unprovisioned), with some client-secret OIDC, SAML and Entra ID connections mixed in.
 */
function generatedConnection(index: number, salt: string): SeededConnection {
  const n = String(index).padStart(5, '0');
  const pick = index % 20;
  const strategy = pick < 9 ? 'okta' : pick < 18 ? 'oidc' : pick === 18 ? 'samlp' : 'waad';
  const oidcFamily = strategy === 'okta' || strategy === 'oidc';
  const clientAuth: ClientAuth | undefined = !oidcFamily
    ? undefined
    : pick < 16
      ? 'private_key_jwt'
      : 'client_secret_post';
  const keyCapable = clientAuth === 'private_key_jwt';
  const keys: SigningAlg | undefined =
    !keyCapable || index % 10 === 0 ? undefined : index % 7 === 0 ? 'ES256' : 'RS256';
  const name = `${strategy}-customer-${n}`;
  const seed: SeedConnection = {
    id: connectionIdFor(name, salt),
    name,
    displayName: `Customer ${n}`,
    strategy,
    clientAuth,
    keys,
    idpHost: strategy === 'okta' ? `customer-${n}.okta.com` : `sso.customer-${n}.example`,
  };
  return { connection: toConnection(seed, salt), plannedKeys: keys };
}
