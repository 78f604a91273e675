import { expect, test } from 'vitest';
import { type Deferred, deferred } from '@/lib/testing/deferred';
import { mapWithConcurrency } from './concurrency';

test('keeps order and never exceeds the limit, whatever order the calls finish in', async () => {
  let inFlight = 0;
  let peak = 0;
  const gates = new Map<number, Deferred<void>>();
  let someoneStarted = deferred();
  const mapping = mapWithConcurrency([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    const gate = deferred();
    gates.set(n, gate);
    someoneStarted.resolve();
    await gate.promise;
    inFlight--;
    return n * 10;
  });
  // Finish the calls in an order unlike the input's, each once it has started.
  for (const n of [4, 1, 5, 2, 3, 0, 6]) {
    while (!gates.has(n)) {
      someoneStarted = deferred();
      await someoneStarted.promise;
    }
    expect(inFlight).toBeLessThanOrEqual(3);
    gates.get(n)?.resolve();
  }
  expect(await mapping).toEqual([50, 10, 40, 20, 30, 0, 60]);
  expect(peak).toBe(3);
});

test('handles an empty list', async () => {
  expect(await mapWithConcurrency([], 4, async (n: number) => n)).toEqual([]);
});
