import 'server-only';
import type { Management } from 'auth0';
import { z } from 'zod';
import { isKeyCapable, KEY_CAPABLE_STRATEGIES, keysUnsupportedReason } from './capabilities';
import { callAuth0 } from './client';
import { Auth0Error } from './errors';
import { rateLimitPause } from './rate-limit';
import type { ConnectionDetail, ConnectionKey, ConnectionSummary, KeyUse, RotatedKey } from './types';

const PAGE_SIZE = 100;
const LIST_FIELDS = 'id,name,display_name,strategy,options';

type RawConnection = Management.ConnectionForList;

function toSummary(raw: RawConnection): ConnectionSummary {
  return {
    id: raw.id ?? '',
    name: raw.name ?? '',
    displayName: raw.display_name ?? null,
    strategy: raw.strategy ?? '',
    keyCapable: isKeyCapable({ strategy: raw.strategy, options: raw.options as Record<string, unknown> }),
  };
}

function toKeyUse(value: unknown): KeyUse | null {
  return value === 'signing' || value === 'encryption' ? value : null;
}

/** The fields Keyshift relies on; a body without them (truncated, or not JSON) must not pass for a key. */
const rawKeySchema = z.looseObject({
  kid: z.string().min(1),
  cert: z.string().min(1),
  fingerprint: z.string(),
  thumbprint: z.string(),
});

function unreadable(): Auth0Error {
  return new Auth0Error('auth0:upstream', 'Auth0 returned a response Keyshift could not read.', { ambiguous: true });
}

function checkedKey<T>(raw: T): T {
  if (!rawKeySchema.safeParse(raw).success) throw unreadable();
  return raw;
}

function checkedKeys<T>(raw: T[] | unknown): T[] {
  if (!Array.isArray(raw)) throw unreadable();
  return raw.map(checkedKey);
}

function toKey(raw: Management.ConnectionKey): ConnectionKey {
  return {
    kid: raw.kid,
    cert: raw.cert,
    pkcs: raw.pkcs ?? null,
    current: raw.current === true,
    next: raw.next === true,
    previous: raw.previous === true,
    currentSince: raw.current_since ?? null,
    fingerprint: raw.fingerprint,
    thumbprint: raw.thumbprint,
    algorithm: raw.algorithm ?? null,
    keyUse: toKeyUse(raw.key_use),
    subjectDn: raw.subject_dn ?? null,
  };
}

export interface ListOptions {
  /** Ask Auth0 only for the strategies that can hold keys. */
  keyCapableOnly?: boolean;
  /** Called after each page with the number of connections loaded so far. */
  onProgress?: (loaded: number) => void;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Every connection of the tenant, through checkpoint pagination (required past 1,000 connections). Between pages it
 * reads the rate-limit headers and pauses while the remaining budget is low, instead of leaning on 429 retries.
 */
export async function listConnections(options: ListOptions = {}): Promise<ConnectionSummary[]> {
  return callAuth0(async (client) => {
    const strategy = options.keyCapableOnly ? [...KEY_CAPABLE_STRATEGIES] : undefined;
    let page = await client.connections.list({ take: PAGE_SIZE, strategy, fields: LIST_FIELDS });
    const connections = page.data.map(toSummary);
    options.onProgress?.(connections.length);
    while (page.hasNextPage()) {
      const pause = rateLimitPause(page.rawResponse.headers, Date.now());
      if (pause > 0) await wait(pause);
      page = await page.getNextPage();
      for (const raw of page.data) connections.push(toSummary(raw));
      options.onProgress?.(connections.length);
    }
    return connections;
  });
}

export async function getConnection(id: string): Promise<ConnectionDetail> {
  const raw = await callAuth0((client) => client.connections.get(id));
  const options = (raw.options ?? {}) as Record<string, unknown>;
  return {
    ...toSummary(raw as RawConnection),
    keysUnsupportedReason: keysUnsupportedReason({ strategy: raw.strategy, options }),
    tokenEndpointAuthMethod:
      typeof options.token_endpoint_auth_method === 'string' ? options.token_endpoint_auth_method : null,
    realms: raw.realms ?? [],
    isDomainConnection: raw.is_domain_connection === true,
  };
}

export async function listConnectionKeys(id: string): Promise<ConnectionKey[]> {
  const raw = await callAuth0((client) => client.connections.keys.get(id));
  return checkedKeys<Management.ConnectionKey>(raw).map(toKey);
}

export async function provisionConnectionKeys(id: string, signingAlg?: string): Promise<ConnectionKey[]> {
  const raw = await callAuth0((client) =>
    client.connections.keys.create(id, signingAlg ? { signing_alg: signingAlg as never } : {}, { maxRetries: 0 }),
  );
  return checkedKeys<Management.ConnectionKey>(raw).map(toKey);
}

/**
 * Rotates once. The SDK's automatic retries are off: a retried rotate could revoke the key that just became
 * current. Whoever calls this settles ambiguous failures by reading the keys back, never by calling again.
 */
export async function rotateConnectionKeys(id: string, signingAlg: string): Promise<RotatedKey> {
  const raw = checkedKey(
    await callAuth0((client) =>
      client.connections.keys.rotate(id, { signing_alg: signingAlg as never }, { maxRetries: 0 }),
    ),
  );
  return {
    kid: raw.kid,
    cert: raw.cert,
    pkcs: raw.pkcs ?? null,
    next: raw.next === true,
    fingerprint: raw.fingerprint,
    thumbprint: raw.thumbprint,
    algorithm: raw.algorithm ?? null,
    keyUse: toKeyUse(raw.key_use),
    subjectDn: raw.subject_dn ?? null,
  };
}

/** A connection's keys with the rate-limit headers of the answer, for background reads that pace themselves. */
export interface PacedKeys {
  keys: ConnectionKey[];
  headers: { get(name: string): string | null } | null;
}

/**
 * Reads the keys once, without the SDK's retries (a 429 is the caller's to wait out, not the SDK's to retry into
 * the operators' budget), answering the rate-limit headers along with the keys. A 429 throws Auth0Error
 * `auth0:rate_limited` carrying the headers in its details.
 */
export async function readConnectionKeysPaced(id: string): Promise<PacedKeys> {
  const { data, rawResponse } = await callAuth0((client) =>
    client.connections.keys.get(id, { maxRetries: 0 }).withRawResponse(),
  );
  return { keys: checkedKeys<Management.ConnectionKey>(data).map(toKey), headers: rawResponse.headers };
}
