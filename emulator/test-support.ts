/** Helpers shared by the emulator's contract tests (not loaded by the emulator itself). */
import { ManagementClient } from 'auth0';
import { SEED_CLIENTS } from './seed';
import { type M2mClient, TENANT_DOMAIN, tenantIdentity } from './tenant';

type ClientOptions = Partial<ConstructorParameters<typeof ManagementClient>[0]>;

/**
 * A fetch that sends what a client addresses to the tenant (`https://demo-tenant.local/…`, or `domain`'s) to the
 * emulator at `url` instead: the SDK's supported `fetch` hook, used the way any Auth0 client would reach this stand-in.
 */
export function fetchViaEmulator(url: string, domain = TENANT_DOMAIN): typeof fetch {
  const tenant = `https://${domain}`;
  const emulator = new URL(url).origin;
  return (input, init) => {
    const request = new Request(input, init);
    if (request.url !== tenant && !request.url.startsWith(`${tenant}/`)) return fetch(request);
    return fetch(new Request(emulator + request.url.slice(tenant.length), request));
  };
}

/** The official SDK, client-credentials path, pointed at the emulator (`options.domain`: another tenant's). */
export function managementClient(url: string, client: M2mClient = SEED_CLIENTS.m2m, options: ClientOptions = {}) {
  const domain = options.domain ?? TENANT_DOMAIN;
  return new ManagementClient({
    domain,
    clientId: client.client_id,
    clientSecret: client.client_secret,
    fetch: fetchViaEmulator(url, domain),
    ...options,
  } as ConstructorParameters<typeof ManagementClient>[0]);
}

/** A client-credentials token of the tenant on `domain` (its Management API audience). */
export async function fetchToken(
  url: string,
  client: M2mClient = SEED_CLIENTS.m2m,
  domain = TENANT_DOMAIN,
): Promise<string> {
  const response = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.client_id,
      client_secret: client.client_secret,
      audience: tenantIdentity(domain).managementAudience,
    }),
  });
  if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Mints a token through the admin API (custom scopes, or a negative lifetime for an expired token). */
export async function mintToken(url: string, body: { client_id: string; scope?: string; expires_in?: number }) {
  const response = await admin(url, 'POST', '/__emulator/tokens', body);
  return (response.body as { access_token: string }).access_token;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

/** Raw HTTP for what the SDK hides: statuses, headers and exact bodies. */
export async function call(
  url: string,
  method: string,
  path: string,
  { token, body, headers }: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

export function admin(url: string, method: string, path: string, body?: unknown) {
  return call(url, method, path, { body });
}

/** The emulator's test controls (`/__emulator/*`): the parsed answer, undefined for a 204. */
export async function emulatorControl(url: string, method: string, path: string, body?: unknown) {
  return (await admin(url, method, `/__emulator${path}`, body)).body as Record<string, unknown> | undefined;
}

export async function armFault(url: string, fault: Record<string, unknown>): Promise<void> {
  const response = await admin(url, 'POST', '/__emulator/faults', fault);
  if (response.status !== 201 && response.status !== 200) throw new Error(`fault refused: ${response.text}`);
}

type CallCounts = Record<string, number> & {
  rotations: Record<string, number>;
  max_concurrent_rotations: Record<string, number>;
};

export async function calls(url: string): Promise<CallCounts> {
  return (await admin(url, 'GET', '/__emulator/calls')).body as CallCounts;
}
