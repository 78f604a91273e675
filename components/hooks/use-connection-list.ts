'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { listConnectionsAction, refreshConnectionsAction } from '@/app/(dashboard)/[tenant]/(home)/actions';
import { useTenant } from '@/components/tenant-context';
import type { ConnectionListSnapshot, ListScope } from '@/lib/auth0/connection-cache';
import { unwrap } from '@/lib/browser/action-result';
import { mergeSnapshot, sinceOf } from '@/lib/connections/list-state';
import { fromWire } from '@/lib/connections/wire';

/** While a listing runs, how often the browser asks how far it got (an answer without the list is tiny). */
const POLL_MS = 300;

export function connectionsQueryKey(scope: ListScope) {
  return ['connections', scope] as const;
}

/**
 * The connection list of one scope, as the server's cache has it. While the server lists (cold, or revalidating a
 * stale list) the query polls for progress; the full list crosses the wire only when its `fetchedAt` changed.
 */
export function useConnectionList(scope: ListScope, initial: ConnectionListSnapshot | undefined) {
  const tenant = useTenant();
  const queryClient = useQueryClient();
  const queryKey = connectionsQueryKey(scope);
  const query = useQuery({
    queryKey,
    queryFn: async () => {
      const held = queryClient.getQueryData<ConnectionListSnapshot>(queryKey);
      const answer = fromWire(
        await unwrap(listConnectionsAction({ tenant: tenant.slug, scope, since: sinceOf(held) })),
      );
      return mergeSnapshot(held, answer);
    },
    initialData: initial?.scope === scope ? initial : undefined,
    // A server-rendered preview is the first screenful only: fetch the whole list at once.
    initialDataUpdatedAt: initial?.preview ? 0 : undefined,
    refetchInterval: (current) => (current.state.data?.loading ? POLL_MS : false),
  });
  const refresh = useMutation({
    mutationFn: async () => fromWire(await unwrap(refreshConnectionsAction({ tenant: tenant.slug, scope }))),
    onSuccess: (answer) =>
      queryClient.setQueryData<ConnectionListSnapshot>(queryKey, (held) => mergeSnapshot(held, answer)),
  });
  return { query, refresh };
}
