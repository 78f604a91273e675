import 'server-only';
import { z } from 'zod';
import { processWide } from '@/lib/async/process-wide';
import { type ListSnapshot, SwrListCache } from '@/lib/async/swr-cache';
import { currentTenant } from '@/lib/tenants/scope';
import { listConnections } from './connections';
import { Auth0Error } from './errors';
import type { ConnectionSummary } from './types';

/** `key-capable` asks Auth0 only for Okta/OIDC connections; `all` lists everything (the "show all" view). */
export const listScopeSchema = z.enum(['key-capable', 'all']);
export type ListScope = z.infer<typeof listScopeSchema>;

export interface ConnectionListSnapshot extends Omit<ListSnapshot<ConnectionSummary>, 'items'> {
  scope: ListScope;
  /** null while nothing is loaded yet, or when the caller already holds the list of this `fetchedAt`. */
  connections: ConnectionSummary[] | null;
  /** Set when `connections` holds only the first rows of a longer list (the server-rendered first screenful). */
  preview?: { total: number };
}

const STALE_AFTER_MS = 60_000;
const RETRY_AFTER_ERROR_MS = 15_000;
const SEPARATOR = '\u0000';

function describeError(error: unknown): string {
  if (error instanceof Auth0Error) return error.message;
  console.error('[keyshift] listing connections failed', String(error));
  return 'Keyshift could not list the connections.';
}

function createCache(): SwrListCache<ConnectionSummary> {
  return new SwrListCache<ConnectionSummary>({
    staleAfterMs: STALE_AFTER_MS,
    retryAfterErrorMs: RETRY_AFTER_ERROR_MS,
    describeError,
    async load(key, onProgress) {
      const scope = key.split(SEPARATOR)[1] as ListScope;
      if (scope === 'all') return listConnections({ onProgress });
      // The strategy filter still returns OIDC connections with a client secret; keep only those with keys.
      const listed = await listConnections({ keyCapableOnly: true, onProgress });
      return listed.filter((connection) => connection.keyCapable);
    },
  });
}

function cache(): SwrListCache<ConnectionSummary> {
  return processWide('connection-list-cache', createCache);
}

const cacheKey = (scope: ListScope) => `${currentTenant().slug}${SEPARATOR}${scope}`;

const keyCapableViews = new WeakMap<ConnectionSummary[], ConnectionSummary[]>();
function keyCapableOf(all: ConnectionSummary[]): ConnectionSummary[] {
  let view = keyCapableViews.get(all);
  if (!view) {
    view = all.filter((connection) => connection.keyCapable);
    keyCapableViews.set(all, view);
  }
  return view;
}

function present(scope: ListScope, snapshot: ListSnapshot<ConnectionSummary>, since?: number): ConnectionListSnapshot {
  const { items, ...rest } = snapshot;
  const unchanged = since !== undefined && since === snapshot.fetchedAt;
  return { scope, ...rest, connections: unchanged ? null : items };
}

/**
 * The connection list as the server knows it now: complete (fresh or stale, revalidating behind it) or, while a
 * first listing pages through Auth0, how many connections are loaded so far. `waitMs` lets a cold listing finish
 * first when it is quick (a small tenant is one page). `since`: the `fetchedAt` the caller holds already.
 */
export async function connectionList(
  scope: ListScope,
  options: { waitMs?: number; since?: number } = {},
): Promise<ConnectionListSnapshot> {
  const store = cache();
  if (scope === 'key-capable') {
    // A fresh full list answers the key-capable view too, without another listing.
    const all = store.fresh(cacheKey('all'));
    const own = store.snapshot(cacheKey('key-capable'));
    if (all && own.loading === null && (own.fetchedAt === null || all.fetchedAt >= own.fetchedAt)) {
      return present(
        scope,
        { items: keyCapableOf(all.items), fetchedAt: all.fetchedAt, loading: null, error: null, now: Date.now() },
        options.since,
      );
    }
  }
  return present(scope, await store.read(cacheKey(scope), options.waitMs ?? 0), options.since);
}

/** Lists again now (the Refresh button); answers at once with the progress, never with the list. */
export function refreshConnectionList(scope: ListScope): ConnectionListSnapshot {
  const snapshot = cache().refresh(cacheKey(scope));
  return present(scope, snapshot, snapshot.fetchedAt ?? undefined);
}

/** Resolves when the listing of this scope in flight (if any) has finished, successfully or not. */
export function connectionListSettled(scope: ListScope): Promise<void> {
  return cache().settled(cacheKey(scope));
}
