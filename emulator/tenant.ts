/** Facts about the emulated tenant that every module agrees on. */
export const TENANT_DOMAIN = 'demo-tenant.local';
export const TENANT_ISSUER = `https://${TENANT_DOMAIN}/`;
export const MANAGEMENT_AUDIENCE = `https://${TENANT_DOMAIN}/api/v2/`;

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
