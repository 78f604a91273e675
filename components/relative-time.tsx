'use client';

import { useSyncExternalStore } from 'react';
import { absoluteTime, relativeTime } from '@/lib/audit/view/format';

// One clock for every relative time on the page, ticking every 15 s.
const TICK_MS = 15_000;
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void) {
  listeners.add(listener);
  now = Date.now();
  timer ??= setInterval(() => {
    now = Date.now();
    for (const notify of listeners) notify();
  }, TICK_MS);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/**
 * "3 minutes ago", with the exact UTC time on hover and in `dateTime`. `serverNow` is the time the server rendered
 * with, so the first paint in the browser says the same thing the server did (no hydration mismatch); it then ticks.
 */
export function RelativeTime({ iso, serverNow, className }: { iso: string; serverNow: number; className?: string }) {
  const current = useSyncExternalStore(
    subscribe,
    () => now,
    () => serverNow,
  );
  const exact = absoluteTime(iso);
  return (
    <time dateTime={iso} title={exact} className={className}>
      {relativeTime(iso, current)}
    </time>
  );
}
