'use client';

import { useQuery } from '@tanstack/react-query';
import { idpStatusAction } from '@/app/(dashboard)/[tenant]/connections/[id]/idp/actions';
import { useTenant } from '@/components/tenant-context';
import { unwrap } from '@/lib/browser/action-result';
import { idpQueryKey } from '@/lib/idp/query-key';
import { type Readiness, readiness } from '@/lib/idp/readiness';
import type { IdpStatus } from '@/lib/idp/types';

/** The connection's IdP setting and its readiness for `nextKid`, shared by the IdP panel and the rotate dialog. */
export function useIdpReadiness(
  connectionId: string,
  nextKid: string | null,
  initial?: { nextKid: string | null; status: IdpStatus },
) {
  const tenant = useTenant();
  const query = useQuery({
    queryKey: idpQueryKey(connectionId, nextKid),
    queryFn: () => unwrap(idpStatusAction({ tenant: tenant.slug, connectionId })),
    initialData: initial && initial.nextKid === nextKid ? initial.status : undefined,
  });
  const ready: Readiness | null = query.data ? readiness({ ...query.data, nextKid, now: new Date() }) : null;
  return { query, status: query.data, readiness: ready };
}
