import { expect, test } from 'vitest';
import { mapWithConcurrency } from './concurrency';

test('keeps order and never exceeds the limit', async () => {
  let inFlight = 0;
  let peak = 0;
  const result = await mapWithConcurrency([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((resolve) => setTimeout(resolve, n * 3));
    inFlight--;
    return n * 10;
  });
  expect(result).toEqual([50, 10, 40, 20, 30, 0, 60]);
  expect(peak).toBe(3);
});

test('handles an empty list', async () => {
  expect(await mapWithConcurrency([], 4, async (n: number) => n)).toEqual([]);
});
