import 'server-only';

export interface AnonymousRefusal {
  action: string;
  ip: string | null;
}

export interface RefusalLogOptions {
  /** At most one line per this many milliseconds; refusals in between are counted into the next line. */
  intervalMs: number;
  write(line: string): void;
  now?: () => number;
}

export interface RefusalLog {
  note(refusal: AnonymousRefusal): void;
  /** Writes the refusals counted since the last line now, if any. */
  flush(): void;
}

/** One line every ten seconds at most, however many requests without a session arrive. */
export const ANONYMOUS_REFUSAL_LOG_INTERVAL_MS = 10_000;

/**
 * Requests without a session are refused but not audited: anyone on the network can send them, and each audited one
 * would cost a chain append (a lock every rotation also needs) and a row. They are counted here instead, into one
 * console line per interval: the first refusal after a quiet interval is written at once, the rest of a burst is
 * summed into a line written when the interval ends. No header or body of the request is logged (a user agent can
 * carry anything); only the action's name and the client address.
 */
export function createRefusalLog(options: RefusalLogOptions): RefusalLog {
  const now = options.now ?? Date.now;
  let counted = 0;
  let latest: AnonymousRefusal | null = null;
  let lastWrite = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (counted === 0 || !latest) return;
    const time = now();
    const since = Number.isFinite(lastWrite) ? Math.round((time - lastWrite) / 1000) : 0;
    options.write(
      `[keyshift] refused ${counted} request${counted === 1 ? '' : 's'} without a session` +
        (since > 0 ? ` in the last ${since} s` : '') +
        ` (not audited) ${JSON.stringify({ refused: counted, latestAction: latest.action, latestIp: latest.ip })}`,
    );
    counted = 0;
    latest = null;
    lastWrite = time;
  };

  return {
    note(refusal) {
      counted += 1;
      latest = refusal;
      if (timer) return;
      const wait = lastWrite + options.intervalMs - now();
      if (wait <= 0) {
        flush();
        return;
      }
      // Unref'd: a pending summary never keeps the process alive.
      timer = setTimeout(flush, wait);
      timer.unref?.();
    },
    flush,
  };
}
