interface Waiter<V> {
  resolve(value: V): void;
  reject(error: unknown): void;
}

export interface BatchLoader<V> {
  load(key: string): Promise<V>;
}

/**
 * Collects the keys asked for within `delayMs` and fetches them together, at most `maxBatch` per call: rows that
 * scroll into view one by one cost one server round trip, not one each. A key missing from the answer rejects.
 */
export function createBatchLoader<V>(
  fetchMany: (keys: string[]) => Promise<Record<string, V>>,
  options: { delayMs: number; maxBatch: number },
): BatchLoader<V> {
  let pending = new Map<string, Waiter<V>[]>();
  let timer: ReturnType<typeof setTimeout> | null = null;

  function settle(keys: string[], batch: Map<string, Waiter<V>[]>) {
    fetchMany(keys).then(
      (found) => {
        for (const key of keys) {
          const value = Object.hasOwn(found, key) ? found[key] : undefined;
          for (const waiter of batch.get(key) ?? []) {
            if (value === undefined) waiter.reject(new Error(`no answer for ${key}`));
            else waiter.resolve(value);
          }
        }
      },
      (error: unknown) => {
        for (const key of keys) for (const waiter of batch.get(key) ?? []) waiter.reject(error);
      },
    );
  }

  function flush() {
    timer = null;
    const batch = pending;
    pending = new Map();
    const keys = [...batch.keys()];
    for (let start = 0; start < keys.length; start += options.maxBatch) {
      settle(keys.slice(start, start + options.maxBatch), batch);
    }
  }

  return {
    load(key) {
      return new Promise<V>((resolve, reject) => {
        const waiters = pending.get(key) ?? [];
        waiters.push({ resolve, reject });
        pending.set(key, waiters);
        if (timer === null) timer = setTimeout(flush, options.delayMs);
      });
    },
  };
}
