'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { Suspense, useState } from 'react';
import { listRotationsAction } from '@/app/(dashboard)/[tenant]/audit/actions';
import { auditQueryKeys, RECENT_ROTATIONS } from '@/lib/audit/view/query-keys';
import { auditHref } from '@/lib/audit/view/search';
import type { AuditPageView, RotationRowView } from '@/lib/audit/view/types';
import { unwrap } from '@/lib/browser/action-result';
import { onDemand } from '@/lib/browser/on-demand';
import { ActorCell } from './audit-table';
import { ErrorPanel } from './error-panel';
import { OutcomeBadge } from './outcome-badge';
import { RelativeTime } from './relative-time';
import { useTenant } from './tenant-context';

const RotationDrawer = onDemand(() => import('./rotation-drawer').then((module) => module.RotationDrawer));

/** The connection's latest rotations from the audit trail; refreshed when a rotation here settles. */
export function RecentRotations({
  connectionId,
  connectionName,
  initial,
  serverNow,
}: {
  connectionId: string;
  connectionName: string;
  initial: AuditPageView | null;
  serverNow: number;
}) {
  const tenant = useTenant();
  const [open, setOpen] = useState<RotationRowView | null>(null);
  // The drawer's code loads with the first "Details" (or the hover before it), then stays for the closing animation.
  const [drawerWanted, setDrawerWanted] = useState(false);
  const query = useQuery({
    queryKey: auditQueryKeys.recent(connectionId),
    queryFn: () =>
      unwrap(
        listRotationsAction({
          tenant: tenant.slug,
          search: { connection: connectionId },
          limit: RECENT_ROTATIONS,
          sync: false,
        }),
      ),
    initialData: initial ?? undefined,
  });
  const rows = query.data?.rows ?? [];
  return (
    <div className="space-y-3">
      {query.error ? (
        <ErrorPanel
          title="The recent rotations could not be loaded"
          message={query.error.message}
          onRetry={() => void query.refetch()}
          retrying={query.isRefetching}
        />
      ) : null}
      {query.data && rows.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-4 text-sm text-slate-600">
          No rotations of this connection are recorded yet.
        </p>
      ) : null}
      {rows.length > 0 ? (
        // A list, not a second table: the keys table stays the page's only table.
        <ol
          aria-label={`Recent rotations of ${connectionName}`}
          className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white shadow-xs"
        >
          {rows.map((row) => (
            <li
              key={row.id}
              data-rotation-id={row.id}
              className="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-2.5 text-sm"
            >
              <RelativeTime iso={row.happenedAt} serverNow={serverNow} className="w-28 text-slate-700" />
              <span className="w-24">
                <OutcomeBadge outcome={row.outcome} />
              </span>
              <span className="w-16 font-mono text-xs text-slate-700">{row.algorithm ?? '—'}</span>
              <span className="min-w-40 flex-1">
                <ActorCell row={row} />
              </span>
              <span className="max-w-64 truncate font-mono text-xs text-slate-600" title={row.newKid ?? undefined}>
                {row.newKid ? `new kid ${row.newKid}` : ''}
              </span>
              <button
                type="button"
                onClick={() => {
                  setDrawerWanted(true);
                  setOpen(row);
                }}
                onPointerEnter={RotationDrawer.preload}
                onFocus={RotationDrawer.preload}
                aria-label={`Details of rotation #${row.id}`}
                className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50"
              >
                Details
              </button>
            </li>
          ))}
        </ol>
      ) : null}
      <p className="text-sm">
        <Link
          prefetch={false}
          href={auditHref({ connection: connectionId }, tenant.href('/audit'))}
          className="font-medium text-indigo-700 hover:underline"
        >
          All rotations of this connection in the audit trail →
        </Link>
      </p>
      {drawerWanted ? (
        <Suspense fallback={null}>
          <RotationDrawer.Component row={open} serverNow={serverNow} onClose={() => setOpen(null)} />
        </Suspense>
      ) : null}
    </div>
  );
}
