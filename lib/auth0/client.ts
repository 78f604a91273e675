import 'server-only';
import { ManagementClient, TokenProvider } from 'auth0';
import { config } from '@/lib/config';
import type { TenantConfig } from '@/lib/tenants/config';
import { currentTenant } from '@/lib/tenants/scope';
import { Auth0Error, ManagementTokenError, toAuth0Error } from './errors';
import { originRewritingFetch } from './origin-fetch';

/** Reads may ride out a brief upstream hiccup; rotate never retries (see rotateConnectionKeys). */
const READ_RETRIES = 2;

interface Auth0Access {
  client: ManagementClient;
  /** Forget the cached Management token, so the next call fetches a fresh one. */
  dropToken(): void;
}

/** One client per tenant, by slug: each has its own credentials, token and origin. */
const access = new Map<string, Auth0Access>();

/**
 * Next.js wraps the global fetch for its data cache and tracing. No Auth0 answer may ever be cached, and the wrapper
 * costs time on every call, so Auth0 calls go through the fetch it wraps (which Next.js exposes on its wrapper).
 */
export function platformFetch(): typeof fetch {
  const current = globalThis.fetch as typeof fetch & { _nextOriginalFetch?: typeof fetch };
  return current._nextOriginalFetch ?? current;
}

/** The fetch every request to the tenant goes through: the platform's, sent to its API origin when one is set. */
export function tenantFetch(tenant: TenantConfig = currentTenant()): typeof fetch {
  const { domain, apiOrigin } = tenant;
  const base = platformFetch();
  return apiOrigin ? originRewritingFetch(domain, apiOrigin, base) : base;
}

/** Told of every answer from a tenant's Management API: its headers, when its request left and when it came. */
export type AnswerListener = (headers: Headers, sentAt: number, receivedAt: number) => void;

const answerListeners = new Map<string, Set<AnswerListener>>();

/**
 * Listens to every Management API answer of the tenant (by slug) in this process, whoever made the call: the rate
 * budget of background work (lib/campaigns) learns the tenant's bucket from what the rotations themselves are told.
 * Returns the function that stops listening.
 */
export function onTenantAnswers(slug: string, listener: AnswerListener): () => void {
  let listeners = answerListeners.get(slug);
  if (!listeners) {
    listeners = new Set();
    answerListeners.set(slug, listeners);
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function observedFetch(slug: string, base: typeof fetch): typeof fetch {
  return async (input, init) => {
    const sentAt = Date.now();
    const response = await base(input, init);
    for (const listener of answerListeners.get(slug) ?? []) {
      try {
        listener(response.headers, sentAt, Date.now());
      } catch {
        // A listener's failure is its own; the call goes on.
      }
    }
    return response;
  };
}

function createAccess(tenant: TenantConfig): Auth0Access {
  const { domain, clientId, clientSecret, managementToken } = tenant;
  const { timeoutSeconds } = config().auth0;
  const fetchHook = observedFetch(tenant.slug, tenantFetch(tenant));
  const audience = `https://${domain}/api/v2/`;
  const newProvider = () =>
    // The SDK's own provider caches the token until shortly before expiry and de-duplicates concurrent fetches.
    new TokenProvider({
      domain,
      clientId: clientId ?? '',
      clientSecret: clientSecret ?? '',
      audience,
      fetch: fetchHook,
    });
  let provider = managementToken ? undefined : newProvider();
  const token = async () => {
    if (managementToken) return managementToken;
    try {
      return await (provider as TokenProvider).getAccessToken();
    } catch (error) {
      // Marked, so that a failed token request is never mistaken for a Management API call that may have acted.
      throw new ManagementTokenError(error);
    }
  };
  const client = new ManagementClient({
    domain,
    token,
    fetch: fetchHook,
    maxRetries: READ_RETRIES,
    timeoutInSeconds: timeoutSeconds,
  });
  return {
    client,
    dropToken: () => {
      if (!managementToken) provider = newProvider();
    },
  };
}

function auth0(tenant: TenantConfig): Auth0Access {
  let existing = access.get(tenant.slug);
  if (!existing) {
    existing = createAccess(tenant);
    access.set(tenant.slug, existing);
  }
  return existing;
}

/** A fixed token cannot be renewed: say which setting to change. */
function staticTokenRejected(error: Auth0Error): Auth0Error {
  return new Auth0Error(
    'auth0:unauthorized',
    'Auth0 did not accept the token in AUTH0_MANAGEMENT_TOKEN (expired or revoked). Replace it, or set AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET so Keyshift renews its own.',
    error.details,
  );
}

/**
 * Runs one Auth0 call and maps its failure. A rejected token (expired, revoked, signing key rolled) is replaced
 * once and the call repeated: a 401 means Auth0 did nothing, so repeating is safe even for a rotation.
 */
export async function callAuth0<T>(call: (client: ManagementClient) => Promise<T>): Promise<T> {
  const tenant = currentTenant();
  const { client } = auth0(tenant);
  try {
    return await call(client);
  } catch (error) {
    const mapped = toAuth0Error(error);
    if (mapped.code !== 'auth0:unauthorized') throw mapped;
    if (tenant.managementToken) throw staticTokenRejected(mapped);
    auth0(tenant).dropToken();
  }
  try {
    return await call(client);
  } catch (error) {
    throw toAuth0Error(error);
  }
}

export { Auth0Error };
