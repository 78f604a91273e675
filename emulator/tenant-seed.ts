/**
 * What a tenant starts with. The primary tenant (`demo-tenant.local`) gets the demo seed of seed.ts, unchanged; any
 * other domain gets the extra-tenant seed below, with ids, IdP client ids and M2M credentials derived from its
 * domain. Some of its connection names are the primary's too (the same customer in two tenants), others its own.
 */
import { SEED_CLIENTS, SEED_CONNECTIONS, SEED_IDP_TRUST, type SeedConnection, SIGN_IN_APP } from './seed';
import { alphanumericId, connectionIdFor } from './seed-ids';
import { type M2mClient, TENANT_DOMAIN } from './tenant';
import type { TrustMode } from './upstream-idp';

export interface TenantSeed {
  domain: string;
  connections: readonly SeedConnection[];
  clients: readonly M2mClient[];
  /** Trust mode of the seeded IdPs by connection name; any other key-capable connection fetches the JWKS URL. */
  idpTrust: Readonly<Record<string, TrustMode>>;
  /** The application users sign in to through the connections (the `client_*` of sign-in events). */
  signInApp: { client_id: string; client_name: string };
  /** Mixed into derived ids (generated connections, IdP client ids); '' for the primary, whose ids predate it. */
  idSalt: string;
}

export const PRIMARY_SEED: TenantSeed = {
  domain: TENANT_DOMAIN,
  connections: Object.values(SEED_CONNECTIONS),
  clients: Object.values(SEED_CLIENTS),
  idpTrust: SEED_IDP_TRUST,
  signInApp: SIGN_IN_APP,
  idSalt: '',
};

/** Names also in the primary's seed, so a connection of the same name exists in both tenants. */
export const SHARED_CONNECTION_NAMES = [
  SEED_CONNECTIONS.oktaAcme.name,
  SEED_CONNECTIONS.oidcGlobex.name,
  SEED_CONNECTIONS.oidcSoylent.name,
  SEED_CONNECTIONS.database.name,
] as const;

/** A non-production tenant: the same customers on their IdPs' preview and staging hosts, plus its own. */
const EXTRA_CONNECTIONS: ReadonlyArray<Omit<SeedConnection, 'id'>> = [
  { ...SEED_CONNECTIONS.oktaAcme, idpHost: 'acme.oktapreview.com' },
  { ...SEED_CONNECTIONS.oidcGlobex, idpHost: 'login.staging.globex.example' },
  {
    name: 'okta-initech-sandbox',
    displayName: 'Initech Workforce (sandbox)',
    strategy: 'okta',
    clientAuth: 'private_key_jwt',
    keys: 'ES256',
    idpHost: 'initech-sandbox.oktapreview.com',
  },
  {
    name: 'oidc-hooli-staging',
    displayName: 'Hooli (staging)',
    strategy: 'oidc',
    clientAuth: 'private_key_jwt',
    keys: 'PS256',
    idpHost: 'id.staging.hooli.example',
  },
  {
    name: 'okta-piedpiper',
    displayName: 'Pied Piper',
    strategy: 'okta',
    clientAuth: 'private_key_jwt',
    idpHost: 'piedpiper.oktapreview.com',
  },
  { ...SEED_CONNECTIONS.oidcSoylent, idpHost: 'auth.staging.soylent.example' },
  {
    name: 'samlp-tyrell-test',
    displayName: 'Tyrell Corporation (test)',
    strategy: 'samlp',
    idpHost: 'adfs-test.tyrell.example',
  },
  SEED_CONNECTIONS.database,
];

const EXTRA_IDP_TRUST: Readonly<Record<string, TrustMode>> = {
  [SEED_CONNECTIONS.oktaAcme.name]: 'jwks_url',
  [SEED_CONNECTIONS.oidcGlobex.name]: 'pasted',
  'okta-piedpiper': 'pasted',
};

/**
 * The extra tenant's M2M clients: `demo-<label>-m2m` / `demo-<label>-m2m-secret` and `demo-<label>-readonly`, where
 * `<label>` is the domain's first label without a trailing `-tenant` (`dev-tenant.local` → `demo-dev-m2m`).
 */
export function extraTenantClients(domain: string): { m2m: M2mClient; readonly: M2mClient } {
  const label = (domain.split('.')[0] ?? domain).replace(/-tenant$/, '');
  return {
    m2m: {
      client_id: `demo-${label}-m2m`,
      client_secret: `demo-${label}-m2m-secret`,
      name: `Keyshift demo (${domain})`,
      scopes: SEED_CLIENTS.m2m.scopes,
    },
    readonly: {
      client_id: `demo-${label}-readonly`,
      client_secret: `demo-${label}-readonly-secret`,
      name: `Keyshift read-only (${domain})`,
      scopes: SEED_CLIENTS.readonly.scopes,
    },
  };
}

export function extraTenantSeed(domain: string): TenantSeed {
  return {
    domain,
    connections: EXTRA_CONNECTIONS.map((seed) => ({ ...seed, id: connectionIdFor(seed.name, domain) })),
    clients: Object.values(extraTenantClients(domain)),
    idpTrust: EXTRA_IDP_TRUST,
    signInApp: { client_id: alphanumericId(`sign-in-app:${domain}`, 24), client_name: SIGN_IN_APP.client_name },
    idSalt: domain,
  };
}

/** The primary's seed for its domain, the extra-tenant seed for any other. */
export function tenantSeed(domain: string): TenantSeed {
  return domain === TENANT_DOMAIN ? PRIMARY_SEED : extraTenantSeed(domain);
}
