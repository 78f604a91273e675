import type { FailureView, WatchCounts } from './types';

/** A sign-in log event as the watch reads it (lib/auth0/logs.ts `SignInLogEvent`). */
export interface SignInEvent {
  logId: string;
  date: string;
  type: string;
  description: string | null;
}

/** How many failures a watch keeps to show: enough to read the reason, not a log viewer. */
export const LATEST_FAILURES = 5;

/**
 * How far back each read looks again past the newest event counted: Auth0 may index an event after a newer one (its
 * search is by date, not by log id), so the events of that last stretch are known by id, not by date.
 */
export const LATE_EVENT_OVERLAP_MS = 60_000;

/**
 * The sign-ins counted so far for one rotation's window, and where the next read stops: events older than
 * `newestDate` less the overlap are counted already; within the overlap, `recent` names those counted.
 */
export interface SignInTally extends WatchCounts {
  /** Newest first. */
  latestFailures: FailureView[];
  newestDate: string | null;
  recent: { logId: string; date: string }[];
}

export const emptyTally = (): SignInTally => ({
  succeeded: 0,
  failed: 0,
  keyFailures: 0,
  firstFailureAt: null,
  firstKeyFailureAt: null,
  lastSucceededAt: null,
  lastKeyFailureAt: null,
  latestFailures: [],
  newestDate: null,
  recent: [],
  complete: true,
});

/**
 * Ways an IdP says it does not trust the key a client assertion was signed with: an unknown kid (Okta: "The
 * client_assertion JWT kid is invalid"), a key it cannot find, or a signature its keys do not verify. Other
 * client-assertion failures (expired, wrong audience, clock skew) are not about the key and raise no key alarm.
 */
const KEY_FAILURES = [
  /\bkid\b.*\b(invalid|unknown|not found|no match|does not match)/i,
  /\b(unknown|invalid) kid\b/i,
  /\bsignature\b.*\b(invalid|does not verify|not verified|verification failed)/i,
  /\binvalid signature\b/i,
  /\bkey (was )?not found\b|\bno matching key\b|\bunable to (find|load)\b.*\bkey\b/i,
];

/** A failure because the IdP does not trust the key the connection signed its client assertion with. */
export function isKeyFailure(description: string | null): boolean {
  return description !== null && KEY_FAILURES.some((pattern) => pattern.test(description));
}

export interface Window {
  start: Date;
  end: Date;
}

const time = (iso: string) => new Date(iso).getTime();
const inWindow = (event: SignInEvent, window: Window) => {
  const at = time(event.date);
  return at >= window.start.getTime() && at < window.end.getTime();
};
const earlier = (a: string | null, b: string) => (a === null || time(b) < time(a) ? b : a);
const later = (a: string | null, b: string) => (a === null || time(b) > time(a) ? b : a);

/** Whether the event is older than the overlap the next read looks at again: counted, if it was in the window. */
function beforeOverlap(tally: SignInTally, date: string): boolean {
  return tally.newestDate !== null && time(date) < time(tally.newestDate) - LATE_EVENT_OVERLAP_MS;
}

/** Whether the tally has counted this event already (see SignInTally). */
export function counted(tally: SignInTally, event: SignInEvent): boolean {
  return beforeOverlap(tally, event.date) || tally.recent.some((seen) => seen.logId === event.logId);
}

/** Adds the events not counted yet and inside the window; anything else (other types, other times) is ignored. */
export function addSignIns(tally: SignInTally, events: SignInEvent[], window: Window): SignInTally {
  const fresh = events.filter(
    (event) => (event.type === 's' || event.type === 'f') && inWindow(event, window) && !counted(tally, event),
  );
  const next: SignInTally = { ...tally, latestFailures: [...tally.latestFailures], recent: [...tally.recent] };
  for (const event of fresh) {
    if (event.type === 's') {
      next.succeeded += 1;
      next.lastSucceededAt = later(next.lastSucceededAt, event.date);
    } else {
      next.failed += 1;
      next.firstFailureAt = earlier(next.firstFailureAt, event.date);
      const keyFailure = isKeyFailure(event.description);
      if (keyFailure) {
        next.keyFailures += 1;
        next.firstKeyFailureAt = earlier(next.firstKeyFailureAt, event.date);
        next.lastKeyFailureAt = later(next.lastKeyFailureAt, event.date);
      }
      next.latestFailures.push({ date: event.date, description: event.description ?? 'Failed sign-in', keyFailure });
    }
    if (next.newestDate === null || time(event.date) > time(next.newestDate)) next.newestDate = event.date;
    next.recent.push({ logId: event.logId, date: event.date });
  }
  next.recent = next.recent.filter((seen) => !beforeOverlap(next, seen.date));
  next.latestFailures.sort((a, b) => time(b.date) - time(a.date));
  next.latestFailures.length = Math.min(next.latestFailures.length, LATEST_FAILURES);
  return next;
}

/** One page, newest first; `more` when the page was full (there may be older events). */
export type PageReader = (page: number) => Promise<{ events: SignInEvent[]; more: boolean }>;

/**
 * Reads the connection's sign-ins newest first, page by page, until it passes what the tally counted before (less the
 * overlap, read again for late events) or the window's start, and adds what it had not counted. At most `maxPages`
 * pages: a busier connection's counts are then marked incomplete.
 */
export async function readIntoTally(
  readPage: PageReader,
  tally: SignInTally,
  window: Window,
  { maxPages }: { maxPages: number },
): Promise<SignInTally> {
  const found = new Map<string, SignInEvent>();
  // Offset pages shift while new sign-ins arrive, so one event may be on two pages: keyed by id, it counts once.
  for (let page = 0; page < maxPages; page++) {
    const { events, more } = await readPage(page);
    let reachedKnown = false;
    for (const event of events) {
      if (time(event.date) < window.start.getTime() || beforeOverlap(tally, event.date)) {
        reachedKnown = true;
        break;
      }
      if (!counted(tally, event)) found.set(event.logId, event);
    }
    if (reachedKnown || !more) return addSignIns(tally, [...found.values()], window);
  }
  return { ...addSignIns(tally, [...found.values()], window), complete: false };
}
