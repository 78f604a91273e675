'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { connectionKeySummariesAction } from '@/app/(dashboard)/[tenant]/(home)/actions';
import { createBatchLoader } from '@/lib/async/batch-loader';
import type { KeySummary } from '@/lib/auth0/overview';
import type { ConnectionSummary, KeysState } from '@/lib/auth0/types';
import { unwrap } from '@/lib/browser/action-result';
import { keysQueryKey } from '@/lib/keys/query-key';
import { useTenant } from './tenant-context';

const KEYS_LABEL: Record<KeysState, string> = {
  unsupported: 'Not supported',
  'not-provisioned': 'Not provisioned',
  provisioned: 'Provisioned',
  unknown: 'Supported',
};

/** A row must stay on screen this long before its keys are looked up, so a fast scroll asks for nothing. */
const SETTLE_MS = 150;

// Rows that settle together share one server action (the server allows up to 60 ids per call); one loader per
// tenant, so that a batch never mixes two tenants' connections.
const loaders = new Map<string, ReturnType<typeof createBatchLoader<KeySummary>>>();
function summariesOf(tenant: string) {
  let loader = loaders.get(tenant);
  if (!loader) {
    loader = createBatchLoader<KeySummary>((ids) => unwrap(connectionKeySummariesAction({ tenant, ids })), {
      delayMs: 40,
      maxBatch: 50,
    });
    loaders.set(tenant, loader);
  }
  return loader;
}

/**
 * Under `['keys', id]`, so whatever invalidates a connection's keys (a rotation) makes its summary stale too.
 */
export function keySummaryQueryKey(connectionId: string) {
  return [...keysQueryKey(connectionId), 'summary'] as const;
}

/** The "Keys" and "Current algorithm" cells of a row: looked up only once the row has settled in view. */
export function KeySummaryCells({
  connection,
  algorithmClassName = '',
}: {
  connection: ConnectionSummary;
  /** Extra classes of the algorithm cell (the list hides it on a phone). */
  algorithmClassName?: string;
}) {
  const tenant = useTenant();
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    if (!connection.keyCapable) return;
    const timer = setTimeout(() => setSettled(true), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [connection.keyCapable]);
  const summary = useQuery({
    queryKey: keySummaryQueryKey(connection.id),
    queryFn: () => summariesOf(tenant.slug).load(connection.id),
    enabled: settled && connection.keyCapable,
    staleTime: 60_000,
  });
  const state: KeysState = connection.keyCapable ? (summary.data?.keysState ?? 'unknown') : 'unsupported';
  const looking = connection.keyCapable && !summary.data && !summary.isError;
  return (
    <>
      <td className="px-4 py-2.5 text-slate-700">
        {looking ? <span className="text-slate-500">Checking…</span> : KEYS_LABEL[state]}
      </td>
      <td className={`${algorithmClassName} px-4 py-2.5 font-mono text-xs text-slate-700`}>
        {summary.data?.currentAlgorithm ?? '—'}
      </td>
    </>
  );
}
