import Link from 'next/link';
import { actorLabel, formatDuration } from '@/lib/audit/view/format';
import type { RotationRowView } from '@/lib/audit/view/types';
import { OutcomeBadge } from './outcome-badge';
import { RelativeTime } from './relative-time';
import { useTenant } from './tenant-context';

const TH = 'px-3 py-2.5 font-medium';

export function ActorCell({ row }: { row: RotationRowView }) {
  const label = actorLabel(row);
  const secondary = row.outcome === 'external' ? row.actorSub : row.actorName ? row.actorEmail : null;
  return (
    <div className="min-w-0">
      <div className="truncate text-slate-900">{label}</div>
      {secondary && secondary !== label ? (
        <div className="truncate font-mono text-xs text-slate-500">{secondary}</div>
      ) : null}
    </div>
  );
}

/** Rotations, newest first; each row opens the detail drawer. */
export function AuditTable({
  rows,
  caption,
  serverNow,
  onOpen,
}: {
  rows: RotationRowView[];
  caption: string;
  serverNow: number;
  onOpen?: (row: RotationRowView) => void;
}) {
  const tenant = useTenant();
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-xs">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className={TH}>
              Time
            </th>
            <th scope="col" className={TH}>
              Actor
            </th>
            <th scope="col" className={TH}>
              Connection
            </th>
            <th scope="col" className={TH}>
              Algorithm
            </th>
            <th scope="col" className={TH}>
              Outcome
            </th>
            <th scope="col" className={TH}>
              New kid
            </th>
            <th scope="col" className={`${TH} text-right`}>
              Duration
            </th>
            {onOpen ? (
              <th scope="col" className={TH}>
                <span className="sr-only">Details</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-top">
          {rows.map((row) => (
            <tr key={row.id} data-rotation-id={row.id} data-outcome={row.outcome}>
              <td className="px-3 py-2.5 whitespace-nowrap text-slate-700">
                <RelativeTime iso={row.happenedAt} serverNow={serverNow} />
              </td>
              <td className="max-w-56 px-3 py-2.5">
                <ActorCell row={row} />
              </td>
              <td className="max-w-56 px-3 py-2.5">
                {row.connectionId ? (
                  <Link
                    prefetch={false}
                    href={tenant.href(`/connections/${row.connectionId}`)}
                    className="text-indigo-700 hover:underline"
                  >
                    {row.connectionName ?? row.connectionId}
                  </Link>
                ) : (
                  '—'
                )}
                <div className="truncate font-mono text-xs text-slate-500">{row.connectionId}</div>
              </td>
              <td className="px-3 py-2.5 font-mono text-xs text-slate-700">{row.algorithm ?? '—'}</td>
              <td className="px-3 py-2.5">
                <OutcomeBadge outcome={row.outcome} />
              </td>
              <td className="max-w-48 px-3 py-2.5 font-mono text-xs break-all text-slate-700">{row.newKid ?? '—'}</td>
              <td className="px-3 py-2.5 text-right whitespace-nowrap text-slate-700">
                {formatDuration(row.durationMs)}
              </td>
              {onOpen ? (
                <td className="px-3 py-2.5 text-right">
                  <button
                    type="button"
                    onClick={() => onOpen(row)}
                    aria-label={`Details of rotation #${row.id}`}
                    className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50"
                  >
                    Details
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
