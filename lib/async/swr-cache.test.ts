import { describe, expect, test } from 'vitest';
import { SwrListCache } from './swr-cache';

/** A loader the test drives by hand: each call waits until the test resolves or rejects it. */
function harness(options: { staleAfterMs?: number; retryAfterErrorMs?: number } = {}) {
  let clock = 1_000_000;
  const calls: Array<{
    key: string;
    progress: (loaded: number) => void;
    resolve: (items: string[]) => void;
    reject: (error: unknown) => void;
  }> = [];
  const cache = new SwrListCache<string>({
    staleAfterMs: options.staleAfterMs ?? 60_000,
    retryAfterErrorMs: options.retryAfterErrorMs ?? 10_000,
    describeError: (error) => (error instanceof Error ? error.message : 'failed'),
    now: () => clock,
    load: (key, progress) =>
      new Promise<string[]>((resolve, reject) => {
        calls.push({ key, progress, resolve, reject });
      }),
  });
  const last = () => {
    const call = calls.at(-1);
    if (!call) throw new Error('no listing started');
    return call;
  };
  return {
    cache,
    calls,
    last,
    tick: (ms: number) => {
      clock += ms;
    },
    clock: () => clock,
    async finish(items: string[]) {
      last().resolve(items);
      await cache.settled(last().key);
    },
  };
}

describe('SwrListCache', () => {
  test('a cold read starts one listing and reports its progress until it completes', async () => {
    const h = harness();
    expect(h.cache.peek('t')).toMatchObject({ items: null, fetchedAt: null, loading: { loaded: 0 } });
    h.last().progress(100);
    h.last().progress(200);
    expect(h.cache.peek('t').loading?.loaded).toBe(200);
    h.tick(500);
    await h.finish(['a', 'b']);
    expect(h.cache.peek('t')).toMatchObject({ items: ['a', 'b'], fetchedAt: h.clock(), loading: null, error: null });
    expect(h.calls).toHaveLength(1);
  });

  test('concurrent readers share a single listing', async () => {
    const h = harness();
    const reads = Promise.all([h.cache.read('t', 5_000), h.cache.read('t', 5_000), h.cache.peek('t')]);
    expect(h.calls).toHaveLength(1);
    h.last().resolve(['a']);
    const [first, second] = await reads;
    expect(first.items).toEqual(['a']);
    expect(second.items).toEqual(['a']);
  });

  test('read gives up waiting after waitMs and returns the progress so far', async () => {
    const h = harness();
    h.cache.peek('t');
    h.last().progress(300);
    const snapshot = await h.cache.read('t', 20);
    expect(snapshot).toMatchObject({ items: null, loading: { loaded: 300 } });
  });

  test('a fresh list is served without asking again', async () => {
    const h = harness();
    h.cache.peek('t');
    await h.finish(['a']);
    h.tick(59_999);
    expect(h.cache.peek('t')).toMatchObject({ items: ['a'], loading: null });
    expect(h.calls).toHaveLength(1);
  });

  test('a stale list is served at once while one revalidation runs behind it', async () => {
    const h = harness();
    h.cache.peek('t');
    await h.finish(['old']);
    h.tick(60_000);
    const stale = h.cache.peek('t');
    expect(stale).toMatchObject({ items: ['old'], loading: { loaded: 0 } });
    h.cache.peek('t');
    expect(h.calls).toHaveLength(2);
    await h.finish(['new']);
    expect(h.cache.peek('t')).toMatchObject({ items: ['new'], fetchedAt: h.clock(), loading: null });
  });

  test('refresh lists again even when fresh, and joins a listing already in flight', async () => {
    const h = harness();
    h.cache.peek('t');
    await h.finish(['a']);
    expect(h.cache.refresh('t').loading).not.toBeNull();
    h.cache.refresh('t');
    expect(h.calls).toHaveLength(2);
    await h.finish(['b']);
    expect(h.cache.peek('t').items).toEqual(['b']);
  });

  test('a failed cold listing is reported, not retried by every poll, and retried after the back-off', async () => {
    const h = harness({ retryAfterErrorMs: 10_000 });
    h.cache.peek('t');
    h.last().reject(new Error('Auth0’s rate limit was reached.'));
    await h.cache.settled('t');
    expect(h.cache.peek('t')).toMatchObject({ items: null, loading: null, error: 'Auth0’s rate limit was reached.' });
    h.tick(9_999);
    h.cache.peek('t');
    expect(h.calls).toHaveLength(1);
    h.tick(1);
    expect(h.cache.peek('t').loading).not.toBeNull();
    expect(h.calls).toHaveLength(2);
  });

  test('refresh retries a failure at once', async () => {
    const h = harness();
    h.cache.peek('t');
    h.last().reject(new Error('down'));
    await h.cache.settled('t');
    h.cache.refresh('t');
    expect(h.calls).toHaveLength(2);
  });

  test('a failed revalidation keeps the stale list and says why', async () => {
    const h = harness();
    h.cache.peek('t');
    await h.finish(['a']);
    h.tick(61_000);
    h.cache.peek('t');
    h.last().reject(new Error('down'));
    await h.cache.settled('t');
    expect(h.cache.peek('t')).toMatchObject({ items: ['a'], error: 'down', loading: null });
    expect(h.calls).toHaveLength(2);
  });

  test('keys are independent', async () => {
    const h = harness();
    h.cache.peek('tenant-a');
    h.cache.peek('tenant-b');
    expect(h.calls.map((call) => call.key)).toEqual(['tenant-a', 'tenant-b']);
  });

  test('fresh() never starts a listing and ignores stale lists', async () => {
    const h = harness();
    expect(h.cache.fresh('t')).toBeNull();
    expect(h.calls).toHaveLength(0);
    h.cache.peek('t');
    await h.finish(['a']);
    expect(h.cache.fresh('t')).toEqual({ items: ['a'], fetchedAt: h.clock() });
    h.tick(60_000);
    expect(h.cache.fresh('t')).toBeNull();
    expect(h.calls).toHaveLength(1);
  });
});
