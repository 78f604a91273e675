'use client';

import { useEffect, useState } from 'react';
import type { ListingProgress } from '@/lib/async/swr-cache';
import { formatAge, formatCount } from '@/lib/connections/list-state';

/**
 * "Refreshed 42 s ago" and the Refresh button. The age is counted from the server's clock at the time of the answer
 * (`serverNow`), plus the time since the browser received it, so a skewed browser clock does not matter.
 */
export function ListFreshness({
  fetchedAt,
  serverNow,
  receivedAt,
  loading,
  error,
  onRefresh,
}: {
  fetchedAt: number;
  serverNow: number;
  receivedAt: number;
  loading: ListingProgress | null;
  error: string | null;
  onRefresh: () => void;
}) {
  // Null until mounted: the server and the first browser render must print the same age.
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  // receivedAt is 0 until the browser has fetched anything itself (a server-rendered preview).
  const sinceReceived = now === null || receivedAt <= 0 ? 0 : Math.max(0, now - receivedAt);
  const age = serverNow - fetchedAt + sinceReceived;

  return (
    <div className="flex flex-wrap items-center gap-3 text-sm text-slate-600">
      <span>
        {loading ? (
          <>Refreshing… {formatCount(loading.loaded)} loaded</>
        ) : (
          <>
            Refreshed <time dateTime={new Date(fetchedAt).toISOString()}>{formatAge(age)}</time>
          </>
        )}
      </span>
      <button
        type="button"
        onClick={onRefresh}
        disabled={loading !== null}
        className="rounded-md border border-slate-300 bg-white px-3 py-1 font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60"
      >
        Refresh
      </button>
      {error && !loading ? (
        <span role="alert" className="text-red-800">
          The last refresh failed: {error}
        </span>
      ) : null}
    </div>
  );
}

/** Element Timing: when the progress was first painted (read by bench/listing.ts). */
const PROGRESS_TIMING = { elementtiming: 'keyshift-progress' } as Record<string, string>;

/** A cold listing: how many connections Auth0 has sent so far (a checkpoint listing has no total to show). */
export function ListingProgressPanel({ loaded }: { loaded: number }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-8 text-center shadow-xs">
      <p role="status" className="font-medium text-slate-900">
        Loading connections from Auth0…
      </p>
      <p className="mt-1 text-sm text-slate-600" data-testid="listing-progress" {...PROGRESS_TIMING}>
        {formatCount(loaded)} loaded so far
      </p>
      <div className="mx-auto mt-4 h-1.5 w-64 overflow-hidden rounded-full bg-slate-100" aria-hidden="true">
        <div className="h-full w-full animate-pulse rounded-full bg-indigo-400" />
      </div>
    </div>
  );
}
