import { expect, test } from 'vitest';
import { createRefusalRecorder } from './refusals';

test('a link’s refused opens are recorded once per interval; other links are recorded on their own', () => {
  let now = 0;
  const record = createRefusalRecorder({ intervalMs: 1_000, now: () => now });
  expect([record('a'), record('a'), record('b')]).toEqual([true, false, true]);
  now = 999;
  expect(record('a')).toBe(false);
  now = 1_000;
  expect([record('a'), record('a')]).toEqual([true, false]);
});

test('past its bound it forgets the oldest link, which is then recorded again (never fewer records)', () => {
  const record = createRefusalRecorder({ intervalMs: 60_000, kept: 2, now: () => 0 });
  expect([record('a'), record('b'), record('c')]).toEqual([true, true, true]);
  expect([record('b'), record('c'), record('a')]).toEqual([false, false, true]);
});
