'use client';

import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { listIdpStatusesAction } from '@/app/(dashboard)/[tenant]/(home)/actions';
import { useTenant } from '@/components/tenant-context';
import { unwrap } from '@/lib/browser/action-result';
import { listReadiness, type Readiness } from '@/lib/idp/readiness';

/** What a list row shows in its readiness cell: computed readiness, or why there is none. */
export type ListReadinessCell = Readiness | 'loading' | 'failed' | 'unconfigured';

/**
 * The readiness of every configured connection, from one action (Keyshift's records, no Auth0 read), asked once the
 * list itself is there; `cellOf` answers per row from a map, so the 10,000-row list pays one lookup a rendered row.
 */
export function useListReadiness(enabled: boolean): (connectionId: string) => ListReadinessCell {
  const tenant = useTenant();
  const query = useQuery({
    queryKey: ['idp', 'list'] as const,
    queryFn: () => unwrap(listIdpStatusesAction({ tenant: tenant.slug })),
    enabled,
    staleTime: 30_000,
  });
  const byId = useMemo(() => {
    if (!query.data) return null;
    const now = new Date();
    return new Map(query.data.map((entry) => [entry.connectionId, listReadiness(entry.status, now)]));
  }, [query.data]);
  const failed = query.isError && !byId;
  return useMemo(
    () => (connectionId: string) => (byId ? (byId.get(connectionId) ?? 'unconfigured') : failed ? 'failed' : 'loading'),
    [byId, failed],
  );
}
