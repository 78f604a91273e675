import 'server-only';
import { type ThrottledTask, throttledSingleFlight, within } from '@/lib/async/throttle';
import { type AuditEvent, type AuditStore, isDuplicateEvent } from '@/lib/audit';
import { requestedPromotedKid, watchClosedEvent } from '@/lib/audit/events';
import { emptyTally, type PageReader, readIntoTally, type SignInTally, type Window } from './tally';
import type { SignInWatchView, WatchCounts, WatchedRotation } from './types';

export interface WatchDependencies {
  store(): Promise<Pick<AuditStore, 'list' | 'append' | 'eventsForRequest' | 'idpSetting'>>;
  tenant: string;
  readSignInPage(connectionId: string, page: number): ReturnType<PageReader>;
  now(): number;
  windowMs: number;
  /** How often a browser asks while the window is open. */
  pollMs: number;
  /** At most one read of a connection's logs per this interval per process; a little under pollMs. */
  readIntervalMs: number;
  /** Pages per read while watching, and for the final count when a window closes. */
  maxPages: number;
  closeMaxPages: number;
  /** How long after a window closed it is still closed by the closer, and its summary shown. */
  lookbackMs: number;
  /** How long a page waits for a read before answering with the counts it has. */
  waitMs: number;
  describeError(error: unknown): string;
}

interface Entry {
  rotation: WatchedRotation;
  window: Window;
  tally: SignInTally;
  error: string | null;
  task: ThrottledTask<void>;
  /** The one close of this window in this process, however many pages ask for it at once. */
  closing?: Promise<{ tally: SignInTally; appended: boolean }>;
}

/** Watches kept per process (one per recently rotated connection); the oldest is forgotten past this. */
const MAX_ENTRIES = 500;

const ROTATION_TYPES = ['rotation.succeeded', 'rotation.external'] as const;

/** When the rotation happened: Auth0's log date for an external one; for Keyshift's, when its call to Auth0 began. */
function rotationTime(event: AuditEvent): Date {
  if (event.type === 'rotation.external' && typeof event.details?.date === 'string') {
    const logged = new Date(event.details.date);
    if (!Number.isNaN(logged.getTime())) return logged;
  }
  return new Date(event.occurredAt.getTime() - (event.durationMs ?? 0));
}

export function windowOf(event: AuditEvent, windowMs: number): Window {
  const start = rotationTime(event);
  return { start, end: new Date(start.getTime() + windowMs) };
}

const countsOf = (tally: SignInTally): WatchCounts => ({
  succeeded: tally.succeeded,
  failed: tally.failed,
  keyFailures: tally.keyFailures,
  firstFailureAt: tally.firstFailureAt,
  firstKeyFailureAt: tally.firstKeyFailureAt,
  lastSucceededAt: tally.lastSucceededAt,
  lastKeyFailureAt: tally.lastKeyFailureAt,
  complete: tally.complete,
});

export interface SignInWatcher {
  /** The watch of the connection's latest rotation. Never throws for a failed log read: that is `readError`. */
  watch(connectionId: string): Promise<SignInWatchView>;
  /** Appends the summary of every window closed within the lookback that has none yet; returns how many it wrote. */
  closeDue(): Promise<number>;
}

export function createSignInWatcher(deps: WatchDependencies): SignInWatcher {
  const entries = new Map<string, Promise<Entry>>();

  async function watchedRotation(event: AuditEvent): Promise<WatchedRotation> {
    let promotedKid: string | null = null;
    if (event.type === 'rotation.succeeded' && event.requestId) {
      const requested = (await (await deps.store()).eventsForRequest(event.requestId)).find(
        (candidate) => candidate.type === 'rotation.requested',
      );
      promotedKid = requested ? (requestedPromotedKid(requested) ?? null) : null;
    }
    return {
      eventId: event.id,
      requestId: event.type === 'rotation.external' ? null : event.requestId,
      external: event.type === 'rotation.external',
      at: rotationTime(event).toISOString(),
      who: event.actorName ?? event.actorEmail ?? event.actorSub,
      newKid: event.newKid,
      revokedKid: event.previousKid,
      promotedKid,
    };
  }

  function entryFor(event: AuditEvent): Promise<Entry> {
    const key = String(event.id);
    // The promise is kept, not the entry: pages polling at once share one entry, hence one throttle.
    const existing = entries.get(key);
    if (existing) return existing;
    const created = watchedRotation(event).then((rotation) => {
      const entry: Entry = {
        rotation,
        window: windowOf(event, deps.windowMs),
        tally: emptyTally(),
        error: null,
        task: throttledSingleFlight(
          async () => {
            try {
              entry.tally = await readIntoTally(
                (page) => deps.readSignInPage(event.connectionId ?? '', page),
                entry.tally,
                entry.window,
                { maxPages: deps.maxPages },
              );
              entry.error = null;
            } catch (error) {
              entry.error = deps.describeError(error);
            }
          },
          { minIntervalMs: deps.readIntervalMs, now: deps.now },
        ),
      };
      return entry;
    });
    created.catch(() => entries.delete(key));
    entries.set(key, created);
    for (const old of entries.keys()) {
      if (entries.size <= MAX_ENTRIES) break;
      entries.delete(old);
    }
    return created;
  }

  async function latestRotation(connectionId: string): Promise<AuditEvent | null> {
    const store = await deps.store();
    const { events } = await store.list({ filters: { connectionId, types: [...ROTATION_TYPES] }, limit: 1 });
    return events[0] ?? null;
  }

  async function summaryOf(rotation: AuditEvent): Promise<AuditEvent | null> {
    const store = await deps.store();
    const { events } = await store.list({
      filters: { connectionId: rotation.connectionId ?? undefined, types: ['rotation.watch_closed'] },
      limit: 20,
    });
    return events.find((event) => event.details?.rotationEventId === rotation.id) ?? null;
  }

  /**
   * Counts the whole window and appends its summary; a summary another writer appended first wins. Callers at once
   * share one close; a failed one may be tried again.
   */
  async function close(rotation: AuditEvent): Promise<{ tally: SignInTally; appended: boolean }> {
    const entry = await entryFor(rotation);
    if (!entry.closing) {
      const closing = closeEntry(rotation, entry);
      entry.closing = closing;
      closing.catch(() => {
        if (entry.closing === closing) entry.closing = undefined;
      });
    }
    return entry.closing;
  }

  async function closeEntry(rotation: AuditEvent, entry: Entry): Promise<{ tally: SignInTally; appended: boolean }> {
    const tally = await readIntoTally(
      (page) => deps.readSignInPage(rotation.connectionId ?? '', page),
      entry.tally,
      entry.window,
      { maxPages: deps.closeMaxPages },
    );
    entry.tally = tally;
    const store = await deps.store();
    try {
      await store.append(
        watchClosedEvent({
          tenant: rotation.tenant ?? deps.tenant,
          connectionId: rotation.connectionId ?? '',
          connectionName: rotation.connectionName,
          rotationEventId: rotation.id,
          rotationRequestId: entry.rotation.requestId,
          newKid: rotation.newKid,
          revokedKid: rotation.previousKid,
          windowStart: entry.window.start.toISOString(),
          windowEnd: entry.window.end.toISOString(),
          ...countsOf(tally),
        }),
      );
      return { tally, appended: true };
    } catch (error) {
      if (isDuplicateEvent(error)) return { tally, appended: false };
      throw error;
    }
  }

  async function idpModeOf(connectionId: string): Promise<'jwks_url' | 'pasted' | 'unknown'> {
    const row = await (await deps.store()).idpSetting(deps.tenant, connectionId);
    return row?.mode ?? 'unknown';
  }

  return {
    async watch(connectionId) {
      const none: SignInWatchView = { state: 'none', pollMs: deps.pollMs };
      const event = await latestRotation(connectionId);
      if (!event) return none;
      const now = deps.now();
      const window = windowOf(event, deps.windowMs);
      if (now >= window.end.getTime() + deps.lookbackMs) return none;
      const entry = await entryFor(event);
      const base = {
        pollMs: deps.pollMs,
        connectionName: event.connectionName,
        rotation: entry.rotation,
        windowStart: window.start.toISOString(),
        windowEnd: window.end.toISOString(),
        now: new Date(now).toISOString(),
        idpMode: await idpModeOf(connectionId),
      };
      if (now < window.end.getTime()) {
        const running = entry.task.trigger();
        if (running) await within(running, deps.waitMs, null);
        return {
          ...base,
          state: 'watching',
          counts: countsOf(entry.tally),
          latestFailures: entry.tally.latestFailures,
          readError: entry.error,
        };
      }
      const summary = await summaryOf(event);
      if (summary) {
        const details = summary.details ?? {};
        const number = (key: string) => (typeof details[key] === 'number' ? (details[key] as number) : 0);
        const text = (key: string) => (typeof details[key] === 'string' ? (details[key] as string) : null);
        return {
          ...base,
          state: 'closed',
          counts: {
            succeeded: number('succeeded'),
            failed: number('failed'),
            keyFailures: number('keyFailures'),
            firstFailureAt: text('firstFailureAt'),
            firstKeyFailureAt: text('firstKeyFailureAt'),
            lastSucceededAt: text('lastSucceededAt'),
            lastKeyFailureAt: text('lastKeyFailureAt'),
            complete: details.complete !== false,
          },
          latestFailures: entry.tally.latestFailures,
          readError: null,
        };
      }
      try {
        const { tally } = await close(event);
        return {
          ...base,
          state: 'closed',
          counts: countsOf(tally),
          latestFailures: tally.latestFailures,
          readError: null,
        };
      } catch (error) {
        return {
          ...base,
          state: 'closed',
          counts: countsOf(entry.tally),
          latestFailures: entry.tally.latestFailures,
          readError: deps.describeError(error),
        };
      }
    },

    async closeDue() {
      const store = await deps.store();
      const now = deps.now();
      const since = new Date(now - deps.lookbackMs - deps.windowMs);
      const { events: rotations } = await store.list({
        filters: { tenant: deps.tenant, types: [...ROTATION_TYPES], from: since },
        limit: 200,
      });
      const { events: summaries } = await store.list({
        filters: { tenant: deps.tenant, types: ['rotation.watch_closed'], from: since },
        limit: 500,
      });
      const closed = new Set(summaries.map((summary) => summary.details?.rotationEventId));
      let appended = 0;
      for (const rotation of rotations) {
        const window = windowOf(rotation, deps.windowMs);
        if (closed.has(rotation.id) || window.end.getTime() > now || !rotation.connectionId) continue;
        if (window.end.getTime() + deps.lookbackMs <= now) continue;
        if ((await close(rotation)).appended) appended += 1;
      }
      return appended;
    },
  };
}
