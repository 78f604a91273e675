/**
 * Runs a task at most once per `minIntervalMs`, never twice at once: callers arriving while it runs share the run in
 * flight, callers arriving too soon after it get nothing new. `deferUntil` pushes the next start later (a rate limit,
 * a missing permission that will not fix itself in seconds).
 */
export interface ThrottledTask<T> {
  /** Starts a run if one is due; returns the run in flight (new or shared), or null when none is due. */
  trigger(): Promise<T> | null;
  deferUntil(time: number): void;
}

export function throttledSingleFlight<T>(
  run: () => Promise<T>,
  options: { minIntervalMs: number; now?: () => number },
): ThrottledTask<T> {
  const now = options.now ?? Date.now;
  let inFlight: Promise<T> | null = null;
  let notBefore = Number.NEGATIVE_INFINITY;
  return {
    trigger() {
      if (inFlight) return inFlight;
      const time = now();
      if (time < notBefore) return null;
      notBefore = time + options.minIntervalMs;
      const started = run().finally(() => {
        inFlight = null;
      });
      inFlight = started;
      return started;
    },
    deferUntil(time) {
      notBefore = Math.max(notBefore, time);
    },
  };
}

/** The value of `promise` if it settles within `ms`, else `fallback` (the promise keeps running). */
export async function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<F>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
