'use client';

import { useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import Link from 'next/link';
import { memo, useId, useMemo, useRef, useState } from 'react';
import { fleetAction } from '@/app/(dashboard)/[tenant]/fleet/actions';
import { unwrap } from '@/lib/browser/action-result';
import { saveBlob } from '@/lib/browser/save-file';
import { filterQuery } from '@/lib/campaigns/plan';
import { isSigningAlg } from '@/lib/certs/signing-algorithms';
import {
  compareFleet,
  type FleetFilters,
  type FleetRow,
  filterFleet,
  fleetCsv,
  keyAgeDays,
  NO_FILTERS,
  type SortDirection,
  type SortKey,
  unpackFleet,
} from '@/lib/fleet/fleet';
import { CERT_STATE_LABELS, type CertState, DUE_STATE_LABELS, type DueState } from '@/lib/fleet/policy';
import type { FleetSnapshot } from '@/lib/fleet/view';
import { RelativeTime } from './relative-time';
import { RotationPeriodForm } from './rotation-period-form';
import { useTenant } from './tenant-context';

const ROW_HEIGHT = 61;
const INITIAL_VIEWPORT = { width: 1024, height: 640 };
const REFRESH_MS = 30_000;
/** Element Timing: when the first row's name was painted (read by bench/fleet-view.ts). */
const FIRST_ROW_TIMING = { elementtiming: 'keyshift-fleet-first-row' } as Record<string, string>;

const STATE_STYLES: Record<DueState, string> = {
  overdue: 'bg-red-50 text-red-800 ring-red-200',
  due_soon: 'bg-amber-50 text-amber-900 ring-amber-300',
  ok: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  no_key: 'bg-slate-100 text-slate-700 ring-slate-200',
};
const CERT_STYLES: Record<CertState, string> = {
  expired: 'text-red-800 font-medium',
  expiring: 'text-amber-900 font-medium',
  ok: 'text-slate-700',
  unknown: 'text-slate-500',
};
const READINESS_LABELS = { ready: 'Ready', not_ready: 'Not ready', unknown: 'Unknown' } as const;

const dayFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const day = (ms: number | null) => (ms === null ? '—' : dayFormat.format(ms));

/** On a phone (under 640 px) a row keeps the name, the state with its due date, and readiness. */
const PHONE_HIDDEN = 'hidden sm:table-cell';
const COLUMNS: ReadonlyArray<{ key: SortKey; label: string; className: string }> = [
  { key: 'name', label: 'Connection', className: 'w-[44%] sm:w-[22%]' },
  { key: 'due', label: 'Due', className: 'w-[31%] sm:w-[16%]' },
  { key: 'age', label: 'Key age', className: `${PHONE_HIDDEN} sm:w-[10%]` },
  { key: 'algorithm', label: 'Algorithm', className: `${PHONE_HIDDEN} sm:w-[10%]` },
  { key: 'cert', label: 'Certificate', className: `${PHONE_HIDDEN} sm:w-[14%]` },
  { key: 'readiness', label: 'Readiness', className: 'w-[25%] sm:w-[12%]' },
  { key: 'checked', label: 'Checked', className: `${PHONE_HIDDEN} sm:w-[16%]` },
];

function StateBadge({ state }: { state: DueState }) {
  return (
    <span
      data-state={state}
      className={`inline-flex shrink-0 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STATE_STYLES[state]}`}
    >
      {DUE_STATE_LABELS[state]}
    </span>
  );
}

const FleetRowView = memo(function FleetRowView({
  row,
  index,
  now,
  showTenant,
}: {
  row: FleetRow;
  index: number;
  now: number;
  showTenant: boolean;
}) {
  const age = keyAgeDays(row, now);
  return (
    <tr aria-rowindex={index + 2} style={{ height: ROW_HEIGHT }} className="hover:bg-slate-50">
      <td className="px-3 py-2">
        <Link
          {...(index === 0 ? FIRST_ROW_TIMING : {})}
          href={`/${row.tenantSlug}/connections/${row.connectionId}`}
          prefetch={false}
          className="block truncate font-medium text-indigo-700 hover:underline"
        >
          {row.name}
        </Link>
        <div className="truncate text-xs text-slate-500">
          {showTenant ? (
            <span className={row.production ? 'font-medium text-red-800' : undefined}>{row.tenantName} · </span>
          ) : null}
          <span className="font-mono">{row.connectionId}</span>
        </div>
      </td>
      <td className="px-3 py-2">
        <StateBadge state={row.state} />
        <div className="truncate text-xs text-slate-600">
          {row.dueAt === null ? (row.error ?? '—') : day(row.dueAt)}
        </div>
      </td>
      <td className={`${PHONE_HIDDEN} px-3 py-2 text-slate-700`}>{age === null ? '—' : `${age} d`}</td>
      <td className={`${PHONE_HIDDEN} px-3 py-2 font-mono text-xs text-slate-700`}>{row.algorithm ?? '—'}</td>
      <td className={`${PHONE_HIDDEN} px-3 py-2 text-xs`}>
        <span className={CERT_STYLES[row.certState]}>{CERT_STATE_LABELS[row.certState]}</span>
        <div className="text-slate-600">{day(row.certNotAfter)}</div>
      </td>
      <td className="px-3 py-2 text-xs">
        <span title={row.readinessReason} data-readiness={row.readiness}>
          {READINESS_LABELS[row.readiness]}
        </span>
        <span className="sr-only"> {row.readinessReason}</span>
      </td>
      <td className={`${PHONE_HIDDEN} px-3 py-2 text-xs text-slate-600`}>
        <RelativeTime iso={new Date(row.checkedAt).toISOString()} serverNow={now} />
        {row.stale ? <div className="text-amber-900">keys changed; reading again</div> : null}
      </td>
    </tr>
  );
});

function SpacerRow({ height }: { height: number }) {
  return (
    // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a spacer row holds nothing, let alone anything focusable
    <tr aria-hidden="true">
      <td colSpan={COLUMNS.length} style={{ height, padding: 0 }} />
    </tr>
  );
}

function FleetTable({
  rows,
  now,
  sort,
  onSort,
  showTenant,
}: {
  rows: FleetRow[];
  now: number;
  sort: { key: SortKey; direction: SortDirection };
  onSort: (key: SortKey) => void;
  showTenant: boolean;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => (rows[index] ? `${rows[index].tenantSlug}/${rows[index].connectionId}` : index),
    overscan: 4,
    initialRect: INITIAL_VIEWPORT,
  });
  const items = virtualizer.getVirtualItems();
  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  return (
    <div
      ref={scrollRef}
      className="max-h-[70vh] overflow-auto rounded-lg border border-slate-200 bg-white shadow-xs"
      data-testid="fleet-scroller"
    >
      <table aria-label="Fleet" aria-rowcount={rows.length + 1} className="w-full table-fixed text-left text-sm">
        <thead className="sticky top-0 z-10 bg-slate-50 text-xs uppercase tracking-wide text-slate-600 shadow-[0_1px_0_0_var(--color-slate-200)]">
          <tr aria-rowindex={1}>
            {COLUMNS.map((column) => {
              const active = sort.key === column.key;
              return (
                <th
                  key={column.key}
                  scope="col"
                  aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
                  className={`${column.className} px-3 py-2 font-medium`}
                >
                  <button
                    type="button"
                    onClick={() => onSort(column.key)}
                    className="inline-flex items-center gap-1 uppercase hover:text-slate-900"
                  >
                    {column.label}
                    <span aria-hidden="true">{active ? (sort.direction === 'asc' ? '▲' : '▼') : ''}</span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {paddingTop > 0 ? <SpacerRow height={paddingTop} /> : null}
          {items.map((item) => (
            <FleetRowView
              key={item.key}
              row={rows[item.index] as FleetRow}
              index={item.index}
              now={now}
              showTenant={showTenant}
            />
          ))}
          {paddingBottom > 0 ? <SpacerRow height={paddingBottom} /> : null}
        </tbody>
      </table>
    </div>
  );
}

const COUNT_CARDS: ReadonlyArray<{ state: DueState; label: string }> = [
  { state: 'overdue', label: 'Overdue' },
  { state: 'due_soon', label: 'Due within 30 days' },
  { state: 'ok', label: 'OK' },
  { state: 'no_key', label: 'No current key' },
];

/**
 * Every key-capable connection's key age, due date and readiness, from Keyshift's key inventory: counts per state,
 * filters, sortable columns, CSV of what is shown. All of it runs in the browser on the rows it holds, so sorting
 * 10,000 rows needs no round trip.
 */
export function FleetView({
  initial,
  canEdit,
  otherTenants,
}: {
  initial: FleetSnapshot;
  canEdit: boolean;
  otherTenants: boolean;
}) {
  const tenant = useTenant();
  const id = useId();
  const [scope, setScope] = useState<'tenant' | 'all'>('tenant');
  const query = useQuery({
    queryKey: ['fleet', scope],
    queryFn: () => unwrap(fleetAction({ tenant: tenant.slug, scope })),
    initialData: scope === 'tenant' ? initial : undefined,
    // A preview (the first rows only) is stale at once: the whole fleet is fetched as soon as the page runs.
    initialDataUpdatedAt: initial.preview ? 0 : undefined,
    staleTime: initial.preview ? 0 : REFRESH_MS,
    refetchInterval: REFRESH_MS,
  });
  const snapshot = query.data ?? initial;
  const rows = useMemo(() => unpackFleet(snapshot.packed), [snapshot.packed]);
  const [filters, setFilters] = useState<FleetFilters>(NO_FILTERS);
  const [sort, setSort] = useState<{ key: SortKey; direction: SortDirection }>({ key: 'due', direction: 'asc' });
  const algorithms = useMemo(
    () => [...new Set(rows.map((row) => row.algorithm).filter((alg): alg is string => alg !== null))].sort(),
    [rows],
  );
  const filtered = useMemo(() => filterFleet(rows, filters), [rows, filters]);
  const sorted = useMemo(() => [...filtered].sort(compareFleet(sort.key, sort.direction)), [filtered, sort]);
  const counts = snapshot.counts;
  const preview = snapshot.preview;
  const set = <K extends keyof FleetFilters>(key: K, value: FleetFilters[K]) =>
    setFilters((current) => ({ ...current, [key]: value }));
  const own = snapshot.tenants.find((entry) => entry.slug === tenant.slug) ?? initial.tenants[0];
  const showTenant = scope === 'all';
  const oldestListing = snapshot.tenants.map((entry) => entry.inventory.listedAt).find((at) => at !== null) ?? null;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold text-slate-900">Fleet</h1>
          <p className="text-sm text-slate-600">
            Every key-capable connection’s current key, when its rotation is due, and whether its IdP is ready.
          </p>
        </div>
        <button
          type="button"
          disabled={preview !== undefined}
          onClick={() =>
            saveBlob(
              new Blob([fleetCsv(sorted, snapshot.now)], { type: 'text/csv;charset=utf-8' }),
              `keyshift-fleet-${scope === 'all' ? 'all' : tenant.slug}-${new Date(snapshot.now).toISOString().slice(0, 10)}.csv`,
            )
          }
          className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50 disabled:opacity-60"
        >
          Download CSV ({sorted.length})
        </button>
        {canEdit && scope === 'tenant' && preview === undefined ? (
          <Link
            prefetch={false}
            href={tenant.href(
              `/campaigns?${filterQuery({ ...filters, algorithm: isSigningAlg(filters.algorithm) ? filters.algorithm : 'all' })}`,
            )}
            className="rounded-md px-3 py-1.5 text-sm font-medium text-indigo-700 ring-1 ring-indigo-300 hover:bg-indigo-50"
          >
            Plan a campaign of these ({sorted.length})
          </Link>
        ) : null}
      </div>

      <section aria-label="Counts" className="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-6">
        {COUNT_CARDS.map((card) => (
          <button
            key={card.state}
            type="button"
            aria-pressed={filters.state === card.state}
            onClick={() => set('state', filters.state === card.state ? 'all' : card.state)}
            className={`rounded-lg border px-3 py-2 text-left ${
              filters.state === card.state ? 'border-indigo-400 bg-indigo-50' : 'border-slate-200 bg-white'
            }`}
          >
            <span className="block text-2xl font-semibold text-slate-900" data-count={card.state}>
              {counts[card.state]}
            </span>
            <span className="text-xs text-slate-600">{card.label}</span>
          </button>
        ))}
        <button
          type="button"
          aria-pressed={filters.certAttention}
          onClick={() => set('certAttention', !filters.certAttention)}
          className={`rounded-lg border px-3 py-2 text-left ${
            filters.certAttention ? 'border-indigo-400 bg-indigo-50' : 'border-slate-200 bg-white'
          }`}
        >
          <span className="block text-2xl font-semibold text-slate-900" data-count="certificates">
            {counts.certExpiring + counts.certExpired}
          </span>
          <span className="text-xs text-slate-600">Certificates expiring or expired</span>
        </button>
        <div className="rounded-lg border border-slate-200 bg-white px-3 py-2">
          <span className="block text-2xl font-semibold text-slate-900" data-count="not-ready">
            {counts.notReady}
          </span>
          <span className="text-xs text-slate-600">IdP not ready</span>
        </div>
      </section>

      <section aria-label="Rotation policy" className="rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <p className="text-slate-800">
            {tenant.name} rotates every <strong>{own?.tenantDays ?? own?.configuredDays} days</strong>{' '}
            <span className="text-slate-600">
              ({own?.tenantDays ? 'set by a rotator' : 'the configured default'}; a connection’s own period wins)
            </span>
          </p>
          {canEdit && own ? (
            <RotationPeriodForm
              connectionId={null}
              current={own.tenantDays}
              inheritedDays={own.configuredDays}
              inheritedFrom="the configured default"
              onSaved={() => void query.refetch()}
            />
          ) : null}
        </div>
        <p className="mt-1 text-xs text-slate-600">
          {own?.inventory.enabled === false
            ? 'The key inventory is off (KEYSHIFT_INVENTORY=off): these rows are as last read.'
            : oldestListing
              ? `Connections listed ${new Date(oldestListing).toUTCString()}; ${own?.inventory.due ?? 0} waiting for a read.`
              : 'The key inventory fills in the background within a share of the rate limit; rows appear as they are read.'}
          {own?.inventory.lastError ? ` Last attempt failed: ${own.inventory.lastError}` : ''}
        </p>
      </section>

      <form
        aria-label="Filter the fleet"
        className="flex flex-wrap items-end gap-3 text-sm"
        onSubmit={(event) => event.preventDefault()}
      >
        <label className="flex flex-col gap-1">
          <span className="text-xs font-medium text-slate-700">Search</span>
          <input
            type="search"
            value={filters.search}
            onChange={(event) => set('search', event.target.value)}
            placeholder="Name or id"
            className="w-48 rounded-md border border-slate-300 px-2 py-1.5"
          />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs font-medium text-slate-700">State</span>
          <select
            value={filters.state}
            onChange={(event) => set('state', event.target.value as FleetFilters['state'])}
            className="rounded-md border border-slate-300 bg-white px-2 py-1.5"
          >
            <option value="all">All</option>
            {(Object.keys(DUE_STATE_LABELS) as DueState[]).map((state) => (
              <option key={state} value={state}>
                {DUE_STATE_LABELS[state]}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs font-medium text-slate-700">Readiness</span>
          <select
            value={filters.readiness}
            onChange={(event) => set('readiness', event.target.value as FleetFilters['readiness'])}
            className="rounded-md border border-slate-300 bg-white px-2 py-1.5"
          >
            <option value="all">All</option>
            <option value="ready">Ready</option>
            <option value="not_ready">Not ready</option>
            <option value="unknown">Unknown</option>
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs font-medium text-slate-700">Algorithm</span>
          <select
            value={filters.algorithm}
            onChange={(event) => set('algorithm', event.target.value)}
            className="rounded-md border border-slate-300 bg-white px-2 py-1.5"
          >
            <option value="all">All</option>
            {algorithms.map((alg) => (
              <option key={alg} value={alg}>
                {alg}
              </option>
            ))}
          </select>
        </label>
        {otherTenants ? (
          <label className="flex flex-col gap-1">
            <span className="text-xs font-medium text-slate-700">Tenants</span>
            <select
              value={scope === 'all' ? filters.tenant : 'this'}
              onChange={(event) => {
                const value = event.target.value;
                if (value === 'this') {
                  setScope('tenant');
                  set('tenant', 'all');
                } else {
                  setScope('all');
                  set('tenant', value);
                }
              }}
              className="rounded-md border border-slate-300 bg-white px-2 py-1.5"
            >
              <option value="this">{tenant.name}</option>
              <option value="all">All my tenants</option>
              {scope === 'all'
                ? snapshot.tenants.map((entry) => (
                    <option key={entry.slug} value={entry.slug}>
                      Only {entry.name}
                    </option>
                  ))
                : null}
            </select>
          </label>
        ) : null}
        {filters !== NO_FILTERS ? (
          <button
            type="button"
            onClick={() => setFilters(NO_FILTERS)}
            className="rounded-md px-3 py-1.5 text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"
          >
            Clear filters
          </button>
        ) : null}
      </form>

      <p id={`${id}-shown`} aria-live="polite" className="text-sm text-slate-600">
        {sorted.length === rows.length
          ? `${rows.length} connections`
          : `${sorted.length} of ${rows.length} connections`}
        {query.isFetching && query.isFetched ? ' · refreshing…' : ''}
      </p>
      {rows.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-center text-sm text-slate-600">
          No connection has been read into the inventory yet.
        </p>
      ) : (
        <FleetTable
          rows={sorted}
          now={snapshot.now}
          sort={sort}
          showTenant={showTenant}
          onSort={(key) =>
            setSort((current) =>
              current.key === key
                ? { key, direction: current.direction === 'asc' ? 'desc' : 'asc' }
                : { key, direction: 'asc' },
            )
          }
        />
      )}
    </div>
  );
}
