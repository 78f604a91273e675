'use client';

import { useDeferredValue, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useConnectionList } from '@/components/hooks/use-connection-list';
import { useListReadiness } from '@/components/hooks/use-list-readiness';
import type { ConnectionListSnapshot } from '@/lib/auth0/connection-cache';
import { afterNextPaint, PERF } from '@/lib/browser/after-paint';
import { filterConnections, prepareSearch } from '@/lib/connections/filter';
import { formatCount } from '@/lib/connections/list-state';
import { ConnectionTable } from './connection-table';
import { ErrorPanel } from './error-panel';
import { ListFreshness, ListingProgressPanel } from './list-freshness';

export function ConnectionList({ initial }: { initial: ConnectionListSnapshot }) {
  const [search, setSearch] = useState('');
  const [keyCapableOnly, setKeyCapableOnly] = useState(initial.scope === 'key-capable');
  const scope = keyCapableOnly ? 'key-capable' : 'all';
  const { query, refresh } = useConnectionList(scope, initial);
  const deferredSearch = useDeferredValue(search);
  const id = useId();
  const snapshot = query.data;
  const connections = snapshot?.connections ?? null;
  const readinessOf = useListReadiness(connections !== null);
  const visible = useMemo(
    () => (connections ? filterConnections(connections, deferredSearch, keyCapableOnly) : []),
    [connections, deferredSearch, keyCapableOnly],
  );

  // The first keystroke should not pay for lower-casing 10,000 names: do it while the browser is idle.
  useEffect(() => {
    if (!connections || typeof requestIdleCallback !== 'function') return;
    const idle = requestIdleCallback(() => prepareSearch(connections));
    return () => cancelIdleCallback(idle);
  }, [connections]);

  // Keystroke → filtered rows painted, for bench/listing.ts.
  const searchPending = useRef(false);
  useEffect(() => {
    if (!searchPending.current || deferredSearch !== search) return;
    searchPending.current = false;
    afterNextPaint(() => performance.measure(PERF.search, PERF.searchInput));
  }, [deferredSearch, search]);

  const failure = query.error?.message ?? (connections ? null : (snapshot?.error ?? null));
  const total = snapshot?.preview?.total ?? connections?.length ?? 0;
  const count = !connections
    ? 'Loading connections…'
    : visible.length === total || (snapshot?.preview && deferredSearch.trim() === '')
      ? `${formatCount(total)} connections`
      : `${formatCount(visible.length)} of ${formatCount(total)} connections`;

  return (
    <section aria-labelledby={`${id}-title`} className="space-y-4">
      <div className="flex flex-wrap items-end gap-4">
        <div className="mr-auto space-y-1">
          <h1 id={`${id}-title`} className="text-xl font-semibold tracking-tight">
            Connections
          </h1>
          <p className="text-sm text-slate-600" aria-live="polite">
            {count}
          </p>
          {connections && snapshot?.fetchedAt != null ? (
            <ListFreshness
              fetchedAt={snapshot.fetchedAt}
              serverNow={snapshot.now}
              receivedAt={query.dataUpdatedAt}
              loading={snapshot.loading}
              error={refresh.error?.message ?? snapshot.error}
              onRefresh={() => refresh.mutate()}
            />
          ) : null}
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-search`} className="text-xs font-medium text-slate-600">
            Search connections
          </label>
          <input
            id={`${id}-search`}
            type="search"
            value={search}
            onChange={(event) => {
              performance.mark(PERF.searchInput);
              searchPending.current = true;
              setSearch(event.target.value);
            }}
            placeholder="Name, display name or id"
            className="w-72 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-xs placeholder:text-slate-500"
          />
        </div>
        <label className="flex items-center gap-2 pb-1.5 text-sm text-slate-700">
          <input
            type="checkbox"
            checked={keyCapableOnly}
            onChange={(event) => setKeyCapableOnly(event.target.checked)}
            className="size-4 accent-indigo-600"
          />
          Only connections with keys
        </label>
      </div>
      {failure ? (
        <ErrorPanel
          title="The connections could not be loaded"
          message={failure}
          onRetry={() => (query.error ? void query.refetch() : refresh.mutate())}
          retrying={query.isFetching || refresh.isPending}
        />
      ) : !connections ? (
        <ListingProgressPanel loaded={snapshot?.loading?.loaded ?? 0} />
      ) : visible.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center">
          <p className="font-medium">No connection matches.</p>
          <p className="mt-1 text-sm text-slate-600">
            {keyCapableOnly
              ? 'Only Okta and OpenID Connect connections with Private Key JWT are shown. Clear the search or show all connections.'
              : 'Clear the search to see every connection.'}
          </p>
        </div>
      ) : (
        <ConnectionTable connections={visible} label="Connections" readinessOf={readinessOf} />
      )}
    </section>
  );
}
