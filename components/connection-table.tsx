'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import Link from 'next/link';
import { memo, type ReactNode, useEffect, useRef } from 'react';
import type { ConnectionSummary } from '@/lib/auth0/types';
import { afterNextPaint, PERF } from '@/lib/browser/after-paint';
import { LIST_READINESS_NOTE } from '@/lib/idp/readiness';
import type { ListReadinessCell } from './hooks/use-list-readiness';
import { KeySummaryCells } from './key-summary-cells';
import { ReadinessBadge } from './readiness-badge';
import { StrategyBadge } from './strategy-badge';
import { useTenant } from './tenant-context';

const ROW_HEIGHT = 57;
/** What the server renders before the browser has measured anything: a screenful of rows, no more. */
const INITIAL_VIEWPORT = { width: 1024, height: 640 };
/** Element Timing: when the first row's name was painted, server-rendered or not (read by bench/listing.ts). */
const FIRST_ROW_TIMING = { elementtiming: 'keyshift-first-row' } as Record<string, string>;
/**
 * On a phone (under 640 px) the list keeps what tells connections apart and whether they are ready: name, keys and
 * readiness; the connection's page shows the rest. Hidden cells take their column with them, so nothing overlaps.
 */
const PHONE_HIDDEN = 'hidden sm:table-cell';
const COLUMNS = [
  ['Name', 'w-[46%] sm:w-[28%]'],
  ['Display name', `${PHONE_HIDDEN} sm:w-[18%]`],
  ['Strategy', `${PHONE_HIDDEN} sm:w-[14%]`],
  ['Keys', 'w-[27%] sm:w-[13%]'],
  ['Current algorithm', `${PHONE_HIDDEN} sm:w-[13%]`],
  ['IdP readiness', 'w-[27%] sm:w-[14%]'],
] as const;

const MUTED = 'text-xs text-slate-500';

/** The row's readiness, as Keyshift's records have it; a connection whose IdP nobody described is muted "Unknown". */
function ReadinessCell({ keyCapable, cell }: { keyCapable: boolean; cell: ListReadinessCell }) {
  let shown: ReactNode;
  if (!keyCapable) shown = <span className={MUTED}>—</span>;
  else if (cell === 'loading') shown = <span className={MUTED}>Checking…</span>;
  else if (cell === 'failed') {
    shown = (
      <span className={MUTED} title="Keyshift could not read its records of this connection’s IdP.">
        —
      </span>
    );
  } else if (cell === 'unconfigured') {
    shown = (
      <span
        className={MUTED}
        title={`Nobody has recorded how this connection’s IdP learns keys. ${LIST_READINESS_NOTE}`}
      >
        Unknown
      </span>
    );
  } else shown = <ReadinessBadge readiness={cell} compact note={LIST_READINESS_NOTE} />;
  return <td className="px-4 py-2.5">{shown}</td>;
}

/** Stands in for the rows scrolled out of view, so the scrollbar keeps the size of the whole list. */
function SpacerRow({ height }: { height: number }) {
  return (
    // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a spacer row holds nothing, let alone anything focusable
    <tr aria-hidden="true">
      <td colSpan={COLUMNS.length} style={{ height, padding: 0 }} />
    </tr>
  );
}

/** One row, at a fixed height (the virtualizer never measures); memoized, so a search re-renders only new rows. */
const ConnectionRow = memo(function ConnectionRow({
  connection,
  index,
  readiness,
}: {
  connection: ConnectionSummary;
  index: number;
  readiness: ListReadinessCell;
}) {
  const tenant = useTenant();
  return (
    <tr aria-rowindex={index + 2} style={{ height: ROW_HEIGHT }} className="hover:bg-slate-50">
      <td className="px-4 py-2.5">
        <Link
          {...(index === 0 ? FIRST_ROW_TIMING : {})}
          href={tenant.href(`/connections/${connection.id}`)}
          prefetch={false}
          className="block truncate font-medium text-indigo-700 hover:underline"
        >
          {connection.name}
        </Link>
        <div className="truncate font-mono text-xs text-slate-500">{connection.id}</div>
      </td>
      <td className={`${PHONE_HIDDEN} truncate px-4 py-2.5 text-slate-700`}>{connection.displayName ?? '—'}</td>
      <td className={`${PHONE_HIDDEN} px-4 py-2.5`}>
        <StrategyBadge strategy={connection.strategy} />
      </td>
      <KeySummaryCells connection={connection} algorithmClassName={PHONE_HIDDEN} />
      <ReadinessCell keyCapable={connection.keyCapable} cell={readiness} />
    </tr>
  );
});

/**
 * A real table whose rows outside the scroll viewport are not rendered: spacer rows stand in for them, and
 * `aria-rowcount` / `aria-rowindex` tell assistive technology where each rendered row sits in the whole list.
 */
export function ConnectionTable({
  connections,
  label,
  readinessOf,
}: {
  connections: ConnectionSummary[];
  label: string;
  readinessOf: (connectionId: string) => ListReadinessCell;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: connections.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => connections[index]?.id ?? index,
    overscan: 4,
    initialRect: INITIAL_VIEWPORT,
  });
  const rows = virtualizer.getVirtualItems();
  const paddingTop = rows[0]?.start ?? 0;
  const paddingBottom = virtualizer.getTotalSize() - (rows.at(-1)?.end ?? 0);

  const marked = useRef(false);
  useEffect(() => {
    if (marked.current || connections.length === 0) return;
    marked.current = true;
    afterNextPaint(() => performance.mark(PERF.listInteractive));
  }, [connections.length]);

  return (
    <div
      ref={scrollRef}
      className="max-h-[70vh] overflow-auto rounded-lg border border-slate-200 bg-white shadow-xs"
      data-testid="connection-scroller"
    >
      <table aria-label={label} aria-rowcount={connections.length + 1} className="w-full table-fixed text-left text-sm">
        <thead className="sticky top-0 z-10 bg-slate-50 text-xs uppercase tracking-wide text-slate-600 shadow-[0_1px_0_0_var(--color-slate-200)]">
          <tr aria-rowindex={1}>
            {COLUMNS.map(([name, width]) => (
              <th key={name} scope="col" className={`${width} px-4 py-2.5 font-medium`}>
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {paddingTop > 0 ? <SpacerRow height={paddingTop} /> : null}
          {rows.map((row) => (
            <ConnectionRow
              key={row.key}
              connection={connections[row.index] as ConnectionSummary}
              index={row.index}
              readiness={readinessOf((connections[row.index] as ConnectionSummary).id)}
            />
          ))}
          {paddingBottom > 0 ? <SpacerRow height={paddingBottom} /> : null}
        </tbody>
      </table>
    </div>
  );
}
