'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useDeferredValue, useId, useMemo, useState } from 'react';
import { listConnectionsAction } from '@/app/(dashboard)/(home)/actions';
import { unwrap } from '@/lib/action-result';
import type { ConnectionOverview, KeysState } from '@/lib/auth0/types';
import { filterConnections } from './connection-filter';
import { ErrorPanel } from './error-panel';
import { StrategyBadge } from './strategy-badge';

const KEYS_LABEL: Record<KeysState, string> = {
  unsupported: 'Not supported',
  'not-provisioned': 'Not provisioned',
  provisioned: 'Provisioned',
  unknown: 'Supported',
};

export function ConnectionList({
  initialConnections,
  initialError,
}: {
  initialConnections: ConnectionOverview[] | undefined;
  initialError: string | null;
}) {
  const query = useQuery({
    queryKey: ['connections'],
    queryFn: () => unwrap(listConnectionsAction({})),
    initialData: initialConnections,
    // With no server data the client asks once on its own; with it, the first paint is already complete.
    enabled: initialError === null,
  });
  const [search, setSearch] = useState('');
  const [keyCapableOnly, setKeyCapableOnly] = useState(true);
  const deferredSearch = useDeferredValue(search);
  const id = useId();
  const connections = query.data ?? [];
  const visible = useMemo(
    () => filterConnections(connections, deferredSearch, keyCapableOnly),
    [connections, deferredSearch, keyCapableOnly],
  );
  const error = query.error?.message ?? (query.data ? null : initialError);

  return (
    <section aria-labelledby={`${id}-title`} className="space-y-4">
      <div className="flex flex-wrap items-end gap-4">
        <div className="mr-auto">
          <h1 id={`${id}-title`} className="text-xl font-semibold tracking-tight">
            Connections
          </h1>
          <p className="text-sm text-slate-600" aria-live="polite">
            {visible.length === connections.length
              ? `${connections.length} connections`
              : `${visible.length} of ${connections.length} connections`}
          </p>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-search`} className="text-xs font-medium text-slate-600">
            Search connections
          </label>
          <input
            id={`${id}-search`}
            type="search"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
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
      {error ? (
        <ErrorPanel
          title="The connections could not be loaded"
          message={error}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
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
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-xs">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-2.5 font-medium">
                  Name
                </th>
                <th scope="col" className="px-4 py-2.5 font-medium">
                  Display name
                </th>
                <th scope="col" className="px-4 py-2.5 font-medium">
                  Strategy
                </th>
                <th scope="col" className="px-4 py-2.5 font-medium">
                  Keys
                </th>
                <th scope="col" className="px-4 py-2.5 font-medium">
                  Current algorithm
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {visible.map((connection) => (
                <tr key={connection.id} className="hover:bg-slate-50">
                  <td className="px-4 py-2.5">
                    <Link
                      href={`/connections/${connection.id}`}
                      className="font-medium text-indigo-700 hover:underline"
                    >
                      {connection.name}
                    </Link>
                    <div className="font-mono text-xs text-slate-500">{connection.id}</div>
                  </td>
                  <td className="px-4 py-2.5 text-slate-700">{connection.displayName ?? '—'}</td>
                  <td className="px-4 py-2.5">
                    <StrategyBadge strategy={connection.strategy} />
                  </td>
                  <td className="px-4 py-2.5 text-slate-700">{KEYS_LABEL[connection.keysState]}</td>
                  <td className="px-4 py-2.5 font-mono text-xs text-slate-700">{connection.currentAlgorithm ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
