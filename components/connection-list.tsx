'use client';

import Link from 'next/link';
import { useDeferredValue, useId, useMemo, useState } from 'react';
import type { ConnectionSummary } from '@/lib/auth0/types';
import { StrategyBadge } from './strategy-badge';

export function filterConnections(connections: ConnectionSummary[], query: string, keyCapableOnly: boolean) {
  const needle = query.trim().toLowerCase();
  return connections.filter(
    (connection) =>
      (!keyCapableOnly || connection.keyCapable) &&
      (needle === '' ||
        connection.name.toLowerCase().includes(needle) ||
        (connection.displayName ?? '').toLowerCase().includes(needle) ||
        connection.id.toLowerCase().includes(needle)),
  );
}

export function ConnectionList({ connections }: { connections: ConnectionSummary[] }) {
  const [query, setQuery] = useState('');
  const [keyCapableOnly, setKeyCapableOnly] = useState(true);
  const deferredQuery = useDeferredValue(query);
  const searchId = useId();
  const visible = useMemo(
    () => filterConnections(connections, deferredQuery, keyCapableOnly),
    [connections, deferredQuery, keyCapableOnly],
  );

  return (
    <section aria-labelledby={`${searchId}-title`} className="space-y-4">
      <div className="flex flex-wrap items-end gap-4">
        <h1 id={`${searchId}-title`} className="mr-auto text-xl font-semibold tracking-tight">
          Connections
        </h1>
        <div className="flex flex-col gap-1">
          <label htmlFor={searchId} className="text-xs font-medium text-slate-600">
            Search connections
          </label>
          <input
            id={searchId}
            type="search"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            placeholder="Name, display name or id"
            className="w-72 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-xs placeholder:text-slate-400"
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
      <p className="text-sm text-slate-600" aria-live="polite">
        {visible.length === connections.length
          ? `${connections.length} connections`
          : `${visible.length} of ${connections.length} connections`}
      </p>
      {visible.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center">
          <p className="font-medium">No connection matches.</p>
          <p className="mt-1 text-sm text-slate-600">
            {keyCapableOnly
              ? 'Only Okta and OpenID Connect connections with Private Key JWT are shown. Clear the search or show all connections.'
              : 'Clear the search to see every connection.'}
          </p>
        </div>
      ) : (
        <div className="overflow-hidden rounded-lg border border-slate-200 bg-white shadow-xs">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
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
                  <td className="px-4 py-2.5 text-slate-700">
                    {connection.keyCapable ? 'Supported' : 'Not supported'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
