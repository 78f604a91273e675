'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { listRotationsAction } from '@/app/(dashboard)/[tenant]/audit/actions';
import { AUDIT_REFRESH_MS, auditQueryKeys } from '@/lib/audit/view/query-keys';
import { type AuditSearch, auditSearchParams, isFiltered } from '@/lib/audit/view/search';
import type { AuditPageView, ChainStatus, RotationRowView } from '@/lib/audit/view/types';
import { unwrap } from '@/lib/browser/action-result';
import { AuditFiltersForm } from './audit-filters-form';
import { AuditTable } from './audit-table';
import { ChainBadge } from './chain-badge';
import { ErrorPanel } from './error-panel';
import { LogSyncNotice } from './log-sync-notice';
import { RotationDrawer } from './rotation-drawer';
import { useTenant } from './tenant-context';

function exportHref(tenant: string, search: AuditSearch, format: 'csv' | 'json') {
  const params = auditSearchParams(search);
  params.set('format', format);
  return `/${tenant}/audit/export?${params}`;
}

const LINK_BUTTON =
  'rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-xs hover:bg-slate-50';

/**
 * The audit page: filters (kept in the URL), rotations newest first with cursor paging, a drawer per rotation,
 * exports of what matches, and the chain's state. The first page comes server-rendered; the list then refreshes
 * every few seconds while it is on screen, each refresh also reading the tenant's logs (throttled on the server).
 */
export function AuditTrail({
  search,
  initial,
  serverNow,
  chain,
}: {
  search: AuditSearch;
  initial: AuditPageView;
  serverNow: number;
  chain: ChainStatus | null;
}) {
  const tenant = useTenant();
  const id = useId();
  const [open, setOpen] = useState<RotationRowView | null>(null);
  const query = useInfiniteQuery({
    queryKey: auditQueryKeys.rotations(search),
    queryFn: ({ pageParam }) =>
      unwrap(listRotationsAction({ tenant: tenant.slug, search, cursor: pageParam, sync: pageParam === null })),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    initialData: { pages: [initial], pageParams: [null] },
    refetchInterval: AUDIT_REFRESH_MS,
  });
  const pages = query.data?.pages ?? [initial];
  const rows = useMemo(() => pages.flatMap((page) => page.rows), [pages]);
  const sync = pages[0]?.sync ?? initial.sync;
  const more = query.hasNextPage;
  const count =
    rows.length === 0
      ? isFiltered(search)
        ? 'No rotations match these filters.'
        : 'No rotations recorded yet.'
      : `${rows.length} ${rows.length === 1 ? 'rotation' : 'rotations'}${more ? ' shown, more available' : ''}`;

  return (
    <section aria-labelledby={`${id}-title`} className="space-y-4">
      <div className="flex flex-wrap items-end gap-4">
        <div className="mr-auto space-y-1">
          <h1 id={`${id}-title`} className="text-xl font-semibold tracking-tight">
            Audit trail
          </h1>
          <p className="text-sm text-slate-600">
            Every key rotation, newest first: made in Keyshift, or found in the tenant’s logs.
          </p>
          <ChainBadge initial={chain} />
        </div>
        <div className="flex gap-2">
          <a href={exportHref(tenant.slug, search, 'csv')} download className={LINK_BUTTON}>
            Export CSV
          </a>
          <a href={exportHref(tenant.slug, search, 'json')} download className={LINK_BUTTON}>
            Export JSON
          </a>
          <a
            href={`/${tenant.slug}/audit/export?format=json&scope=chain`}
            download
            className={LINK_BUTTON}
            title="Every event, unfiltered: the file `npm run audit:verify -- --file` checks offline"
          >
            Export whole chain
          </a>
        </div>
      </div>
      <AuditFiltersForm search={search} />
      <LogSyncNotice sync={sync} serverNow={serverNow} />
      <p className="text-sm font-medium text-slate-700" aria-live="polite">
        {count}
      </p>
      {query.error ? (
        <ErrorPanel
          title="The audit trail could not be refreshed"
          message={query.error.message}
          onRetry={() => void query.refetch()}
          retrying={query.isRefetching}
        />
      ) : null}
      {rows.length > 0 ? (
        <AuditTable rows={rows} caption="Key rotations, newest first" serverNow={serverNow} onOpen={setOpen} />
      ) : null}
      {more ? (
        <div className="flex justify-center">
          <button
            type="button"
            onClick={() => void query.fetchNextPage()}
            disabled={query.isFetchingNextPage}
            className={LINK_BUTTON}
          >
            {query.isFetchingNextPage ? 'Loading…' : 'Load older rotations'}
          </button>
        </div>
      ) : null}
      <RotationDrawer row={open} serverNow={serverNow} onClose={() => setOpen(null)} />
    </section>
  );
}
