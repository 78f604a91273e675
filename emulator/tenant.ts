/** What names a tenant to its clients: its domain, the issuer of its tokens and the Management API audience. */
export interface TenantIdentity {
  domain: string;
  issuer: string;
  managementAudience: string;
}

export function tenantIdentity(domain: string): TenantIdentity {
  return { domain, issuer: `https://${domain}/`, managementAudience: `https://${domain}/api/v2/` };
}

/** The primary tenant, the one every emulator serves unless told otherwise (tests, e2e, the demo's production). */
export const TENANT_DOMAIN = 'demo-tenant.local';
export const TENANT_ISSUER = tenantIdentity(TENANT_DOMAIN).issuer;
export const MANAGEMENT_AUDIENCE = tenantIdentity(TENANT_DOMAIN).managementAudience;

/** A DNS name of two or more labels, lower case, as Auth0 tenant and custom domains are. */
export function isTenantDomain(value: string): boolean {
  return (
    value.length <= 253 &&
    /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(value)
  );
}

export const SIGNING_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'ES256', 'ES384'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];
export const DEFAULT_SIGNING_ALG: SigningAlg = 'RS256';

export function isSigningAlg(value: unknown): value is SigningAlg {
  return typeof value === 'string' && (SIGNING_ALGS as readonly string[]).includes(value);
}

/** A connection as `GET /api/v2/connections` returns it. */
export interface Connection {
  id: string;
  name: string;
  display_name: string;
  strategy: string;
  options: Record<string, unknown>;
  realms: string[];
  is_domain_connection: boolean;
  show_as_button?: boolean;
  metadata: Record<string, string>;
}

/** A machine-to-machine application allowed to call the Management API. */
export interface M2mClient {
  client_id: string;
  client_secret: string;
  name: string;
  scopes: readonly string[];
}
