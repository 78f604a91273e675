/**
 * The demo tenant's facts, exported so tests, e2e specs and the demo script can name them.
 * Ids are fixed literals: tests, bookmarks and a persisted demo state must survive a code change.
 */
import type { M2mClient, SigningAlg } from './tenant';
import type { TrustMode } from './upstream-idp';

/** How a connection authenticates to its IdP's token endpoint; only `private_key_jwt` can hold keys. */
export type ClientAuth = 'private_key_jwt' | 'client_secret_post' | 'front_channel';

export interface SeedConnection {
  id: string;
  name: string;
  displayName: string;
  strategy: 'okta' | 'oidc' | 'samlp' | 'waad' | 'google-oauth2' | 'auth0';
  /** okta/oidc only. */
  clientAuth?: ClientAuth;
  /** The algorithm of the keys the tenant starts with; absent = no keys (yet). */
  keys?: SigningAlg;
  /** The IdP's host, used to build realistic endpoint options. */
  idpHost?: string;
}

export const SEED_CONNECTIONS = {
  oktaAcme: {
    id: 'con_Q7tLk2vMx9RbW4sE',
    name: 'okta-acme',
    displayName: 'Acme Corp',
    strategy: 'okta',
    clientAuth: 'private_key_jwt',
    keys: 'RS256',
    idpHost: 'acme.okta.com',
  },
  oidcGlobex: {
    id: 'con_h3NcY8pTfA1uZ6dK',
    name: 'oidc-globex',
    displayName: 'Globex Corporation',
    strategy: 'oidc',
    clientAuth: 'private_key_jwt',
    keys: 'RS256',
    idpHost: 'login.globex.example',
  },
  oktaInitech: {
    id: 'con_Vb5wGm0JqX2nCe7R',
    name: 'okta-initech',
    displayName: 'Initech Workforce',
    strategy: 'okta',
    clientAuth: 'private_key_jwt',
    keys: 'ES256',
    idpHost: 'initech.okta.com',
  },
  oidcUmbrella: {
    id: 'con_r8KdP4zS1yLh9TqU',
    name: 'oidc-umbrella',
    displayName: 'Umbrella Health',
    strategy: 'oidc',
    clientAuth: 'private_key_jwt',
    keys: 'PS256',
    idpHost: 'sso.umbrella-health.example',
  },
  oidcHooli: {
    id: 'con_Zm2eT6xWc9FvN3jA',
    name: 'oidc-hooli',
    displayName: 'Hooli',
    strategy: 'oidc',
    clientAuth: 'private_key_jwt',
    keys: 'RS256',
    idpHost: 'id.hooli.example',
  },
  oktaStark: {
    id: 'con_g1YsB7kHq4MuD0pX',
    name: 'okta-stark',
    displayName: 'Stark Industries',
    strategy: 'okta',
    clientAuth: 'private_key_jwt',
    keys: 'RS256',
    idpHost: 'stark.okta.com',
  },
  oktaWayne: {
    id: 'con_Lx6cR3nVw8ZjE5tG',
    name: 'okta-wayne',
    displayName: 'Wayne Enterprises (onboarding)',
    strategy: 'okta',
    clientAuth: 'private_key_jwt',
    idpHost: 'wayne.okta.com',
  },
  oidcSoylent: {
    id: 'con_t9PfJ2qKy5WbH1mS',
    name: 'oidc-soylent',
    displayName: 'Soylent (client secret)',
    strategy: 'oidc',
    clientAuth: 'client_secret_post',
    idpHost: 'auth.soylent.example',
  },
  oidcCyberdyne: {
    id: 'con_B4uNs8dLe1XcQ7vZ',
    name: 'oidc-cyberdyne',
    displayName: 'Cyberdyne (front channel)',
    strategy: 'oidc',
    clientAuth: 'front_channel',
    idpHost: 'login.cyberdyne.example',
  },
  samlTyrell: {
    id: 'con_Ww3kF9mYa6RtP2hJ',
    name: 'samlp-tyrell',
    displayName: 'Tyrell Corporation',
    strategy: 'samlp',
    idpHost: 'adfs.tyrell.example',
  },
  waadContoso: {
    id: 'con_E7jHv1cTn4GqS9xB',
    name: 'waad-contoso',
    displayName: 'Contoso (Microsoft Entra ID)',
    strategy: 'waad',
    idpHost: 'contoso.onmicrosoft.com',
  },
  google: {
    id: 'con_k5ZqM0wXr8BdU3fL',
    name: 'google-oauth2',
    displayName: 'Google',
    strategy: 'google-oauth2',
  },
  database: {
    id: 'con_Yc1aG6pWs2VnK9eT',
    name: 'Username-Password-Authentication',
    displayName: 'Username-Password-Authentication',
    strategy: 'auth0',
  },
} as const satisfies Record<string, SeedConnection>;

export type SeedConnectionHandle = keyof typeof SEED_CONNECTIONS;

const ROTATOR_SCOPES = [
  'read:connections',
  'read:connections_keys',
  'create:connections_keys',
  'update:connections_keys',
  'read:logs',
] as const;

export const SEED_CLIENTS = {
  m2m: { client_id: 'demo-m2m', client_secret: 'demo-m2m-secret', name: 'Keyshift demo', scopes: ROTATOR_SCOPES },
  readonly: {
    client_id: 'demo-readonly',
    client_secret: 'demo-readonly-secret',
    name: 'Keyshift read-only',
    scopes: ['read:connections', 'read:connections_keys', 'read:logs'],
  },
} as const satisfies Record<string, M2mClient>;

/**
 * How the demo tenant's IdPs trust keys; every other key-capable connection fetches the JWKS URL. The pasted ones
 * start out trusting their connection's current key, so sign-ins work until a rotation nobody prepared.
 */
export const SEED_IDP_TRUST: Readonly<Record<string, TrustMode>> = {
  [SEED_CONNECTIONS.oktaAcme.name]: 'jwks_url',
  [SEED_CONNECTIONS.oidcGlobex.name]: 'pasted',
  [SEED_CONNECTIONS.oktaInitech.name]: 'pasted',
  [SEED_CONNECTIONS.oktaWayne.name]: 'pasted',
};

/** The application users sign in to through the connections (the `client_*` of sign-in events). */
export const SIGN_IN_APP = { client_id: 'Xc7dP2mQk9LsV4nB8tRw1yZa', client_name: 'Customer Portal' } as const;

/**
 * `--aged-keys` (the demo): how many days ago these seeded connections' keys were made, so that with the default
 * period of 365 days the fleet shows one overdue with an expired certificate, one due within 30 days, one due in two
 * months, and the rest fresh.
 */
export const DEMO_KEY_AGES: Readonly<Record<string, number>> = {
  [SEED_CONNECTIONS.oidcHooli.id]: 380,
  [SEED_CONNECTIONS.oktaStark.id]: 350,
  [SEED_CONNECTIONS.oidcUmbrella.id]: 300,
};
