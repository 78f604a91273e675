import 'server-only';
import { currentTenant } from '@/lib/tenants/scope';
import { tenantFetch } from './client';

export interface JwksPublication {
  url: string;
  /** Whether the kid is among the published keys; null when the JWKS could not be read. */
  published: boolean | null;
  publishedKids: string[];
  error: string | null;
}

/** The connection's public JWKS on the tenant's own domain (never the emulator's origin): the URL an IdP fetches. */
export function connectionJwksUrl(connectionName: string): string {
  return `https://${currentTenant().domain}/oauth/connection/${encodeURIComponent(connectionName)}/.well-known/jwks.json`;
}

/** Reads the connection's public JWKS, as the identity provider would, to tell whether a key is published yet. */
export async function checkPublished(connectionName: string, kid: string): Promise<JwksPublication> {
  const url = connectionJwksUrl(connectionName);
  try {
    const response = await tenantFetch()(url, { signal: AbortSignal.timeout(5000), cache: 'no-store' });
    if (!response.ok)
      return { url, published: null, publishedKids: [], error: `The JWKS answered ${response.status}.` };
    const body = (await response.json()) as { keys?: { kid?: unknown }[] };
    const publishedKids = (body.keys ?? [])
      .map((jwk) => jwk.kid)
      .filter((value): value is string => typeof value === 'string');
    return { url, published: publishedKids.includes(kid), publishedKids, error: null };
  } catch {
    return { url, published: null, publishedKids: [], error: 'The JWKS could not be read.' };
  }
}
