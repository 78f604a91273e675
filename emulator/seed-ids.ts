import { createHash } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` alphanumerics derived from `input`: the same on every start, different for every input. */
export function alphanumericId(input: string, length: number): string {
  const digest = createHash('sha256').update(input).digest();
  let id = '';
  for (let i = 0; i < length; i++) id += ALPHANUMERIC[(digest[i] ?? 0) % ALPHANUMERIC.length];
  return id;
}

/**
 * Deterministic `con_` + 16 alphanumerics, so a generated tenant is identical on every start. `salt` (an extra
 * tenant's domain) keeps two tenants' connections of the same name apart; the primary's ids have none.
 */
export function connectionIdFor(name: string, salt = ''): string {
  return `con_${alphanumericId(salt ? `connection:${salt}:${name}` : `connection:${name}`, 16)}`;
}

/** The client id the connection's upstream IdP gave Auth0 (an Okta-style `0oa…`). */
export function idpClientIdFor(name: string, salt = ''): string {
  const input = salt ? `idp-client:${salt}:${name}` : `idp-client:${name}`;
  return `0oa${createHash('sha256').update(input).digest('hex').slice(0, 17)}`;
}
