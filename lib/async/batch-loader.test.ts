import { expect, test, vi } from 'vitest';
import { createBatchLoader } from './batch-loader';

function loader(maxBatch = 3) {
  const fetchMany = vi.fn(async (keys: string[]) => Object.fromEntries(keys.map((key) => [key, key.toUpperCase()])));
  return { fetchMany, batch: createBatchLoader(fetchMany, { delayMs: 5, maxBatch }) };
}

test('keys asked for together are fetched in one call, each caller getting its own value', async () => {
  const { fetchMany, batch } = loader(10);
  await expect(Promise.all(['a', 'b', 'c'].map((key) => batch.load(key)))).resolves.toEqual(['A', 'B', 'C']);
  expect(fetchMany).toHaveBeenCalledTimes(1);
  expect(fetchMany).toHaveBeenCalledWith(['a', 'b', 'c']);
});

test('the same key asked twice is fetched once and answers both', async () => {
  const { fetchMany, batch } = loader(10);
  await expect(Promise.all([batch.load('a'), batch.load('a')])).resolves.toEqual(['A', 'A']);
  expect(fetchMany).toHaveBeenCalledWith(['a']);
});

test('a batch never exceeds maxBatch keys', async () => {
  const { fetchMany, batch } = loader(3);
  await Promise.all(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((key) => batch.load(key)));
  expect(fetchMany.mock.calls.map(([keys]) => keys)).toEqual([['a', 'b', 'c'], ['d', 'e', 'f'], ['g']]);
});

test('keys asked for later form a new batch', async () => {
  const { fetchMany, batch } = loader(10);
  await batch.load('a');
  await batch.load('b');
  expect(fetchMany).toHaveBeenCalledTimes(2);
});

test('a failed fetch rejects every waiter of the batch; a missing key rejects only its own', async () => {
  const failing = createBatchLoader<string>(
    async () => {
      throw new Error('down');
    },
    { delayMs: 1, maxBatch: 10 },
  );
  await expect(Promise.all([failing.load('a'), failing.load('b')])).rejects.toThrow('down');
  const partial = createBatchLoader<string>(async () => ({ a: 'A' }), { delayMs: 1, maxBatch: 10 });
  const [a, b] = await Promise.allSettled([partial.load('a'), partial.load('b')]);
  expect(a).toEqual({ status: 'fulfilled', value: 'A' });
  expect(b).toMatchObject({ status: 'rejected' });
});
