import { throttledSingleFlight } from './throttle';

export interface PeriodicTask {
  /** Starts a run now unless one is in flight (then that one is returned). */
  runNow(): Promise<void>;
  stop(): void;
}

/**
 * Runs `task` now and every `everyMs`, never twice at once: a run still going when the next is due is left to
 * finish, and that tick is skipped. The timer is unref'd, so it never keeps a process alive on its own; a failed
 * run is reported and the next tick tries again.
 */
export function runPeriodically(
  task: () => Promise<unknown>,
  options: {
    everyMs: number;
    onError(error: unknown): void;
    setInterval?: (run: () => void, ms: number) => { unref?(): unknown };
    clearInterval?: (timer: unknown) => void;
  },
): PeriodicTask {
  const single = throttledSingleFlight(
    async () => {
      try {
        await task();
      } catch (error) {
        options.onError(error);
      }
    },
    { minIntervalMs: 0 },
  );
  const runNow = () => single.trigger() ?? Promise.resolve();
  const schedule = options.setInterval ?? setInterval;
  const timer = schedule(() => void runNow(), options.everyMs);
  timer.unref?.();
  void runNow();
  return {
    runNow,
    stop: () => (options.clearInterval ?? clearInterval)(timer as Parameters<typeof clearInterval>[0]),
  };
}
