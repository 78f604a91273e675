/** A listing in flight: how far it got, so a page can show progress instead of a bare spinner. */
export interface ListingProgress {
  loaded: number;
  startedAt: number;
}

export interface ListSnapshot<T> {
  /** The last complete list; null until the first listing finishes. */
  items: T[] | null;
  /** When that list was complete (epoch ms, server clock). */
  fetchedAt: number | null;
  /** A listing running now: the first one (cold) or a revalidation behind a stale list. */
  loading: ListingProgress | null;
  /** Why the last listing failed, while no later one has succeeded. */
  error: string | null;
  /** The server's clock when the snapshot was taken, so a browser can say "N s ago" whatever its own clock. */
  now: number;
}

export interface SwrListCacheOptions<T> {
  load(key: string, onProgress: (loaded: number) => void): Promise<T[]>;
  /** A list older than this is still served, but a new listing starts behind it. */
  staleAfterMs: number;
  /** After a failure, plain reads wait this long before trying again (a Refresh tries at once). */
  retryAfterErrorMs: number;
  describeError(error: unknown): string;
  now?: () => number;
}

type Inflight = ListingProgress & { done: Promise<void> };

interface Entry<T> {
  items: T[] | null;
  fetchedAt: number | null;
  inflight: Inflight | null;
  error: { message: string; at: number } | null;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Stale-while-revalidate for whole lists, one entry per key: a fresh list is served as is; a stale one is served
 * at once while one listing refreshes it; concurrent readers share that single listing (single flight).
 */
export class SwrListCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly now: () => number;

  constructor(private readonly options: SwrListCacheOptions<T>) {
    this.now = options.now ?? Date.now;
  }

  /** What is known now; starts a listing when there is no list yet or only a stale one. */
  peek(key: string): ListSnapshot<T> {
    this.ensure(key);
    return this.snapshot(key);
  }

  /** Like `peek`, but gives a cold listing up to `waitMs` to finish, so a small tenant needs one round trip. */
  async read(key: string, waitMs: number): Promise<ListSnapshot<T>> {
    const entry = this.ensure(key);
    if (entry.items === null && entry.inflight && waitMs > 0) {
      await Promise.race([entry.inflight.done, delay(waitMs)]);
    }
    return this.snapshot(key);
  }

  /** The list only if it is complete and fresh; never starts a listing. */
  fresh(key: string): { items: T[]; fetchedAt: number } | null {
    const entry = this.entries.get(key);
    if (!entry?.items || entry.fetchedAt === null || this.isStale(entry)) return null;
    return { items: entry.items, fetchedAt: entry.fetchedAt };
  }

  /** Starts a new listing now, fresh or not (joining the one in flight, if any), and returns at once. */
  refresh(key: string): ListSnapshot<T> {
    this.start(key, this.entry(key));
    return this.snapshot(key);
  }

  /** Resolves when the listing in flight (if any) has finished, successfully or not. */
  async settled(key: string): Promise<void> {
    await this.entries.get(key)?.inflight?.done;
  }

  snapshot(key: string): ListSnapshot<T> {
    const entry = this.entry(key);
    return {
      items: entry.items,
      fetchedAt: entry.fetchedAt,
      loading: entry.inflight ? { loaded: entry.inflight.loaded, startedAt: entry.inflight.startedAt } : null,
      error: entry.error?.message ?? null,
      now: this.now(),
    };
  }

  private entry(key: string): Entry<T> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { items: null, fetchedAt: null, inflight: null, error: null };
      this.entries.set(key, entry);
    }
    return entry;
  }

  private isStale(entry: Entry<T>): boolean {
    return entry.fetchedAt === null || this.now() - entry.fetchedAt >= this.options.staleAfterMs;
  }

  private ensure(key: string): Entry<T> {
    const entry = this.entry(key);
    if (entry.inflight) return entry;
    const backingOff = entry.error !== null && this.now() - entry.error.at < this.options.retryAfterErrorMs;
    if (!backingOff && (entry.items === null || this.isStale(entry))) this.start(key, entry);
    return entry;
  }

  private start(key: string, entry: Entry<T>): void {
    if (entry.inflight) return;
    const inflight: Inflight = {
      loaded: 0,
      startedAt: this.now(),
      done: Promise.resolve(),
    };
    entry.inflight = inflight;
    inflight.done = (async () => {
      try {
        const items = await this.options.load(key, (loaded) => {
          inflight.loaded = loaded;
        });
        entry.items = items;
        entry.fetchedAt = this.now();
        entry.error = null;
      } catch (error) {
        entry.error = { message: this.options.describeError(error), at: this.now() };
      } finally {
        entry.inflight = null;
      }
    })();
  }
}
