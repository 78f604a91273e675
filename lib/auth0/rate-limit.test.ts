import { expect, test } from 'vitest';
import { rateLimitPause } from './rate-limit';

const NOW = 1_700_000_000_000;
const SECOND = NOW / 1000;

/** Headers as Auth0 sends them; undefined leaves a header out. */
function headers(limit?: string, remaining?: string, reset?: number) {
  const bag = new Headers();
  if (limit !== undefined) bag.set('x-ratelimit-limit', limit);
  if (remaining !== undefined) bag.set('x-ratelimit-remaining', remaining);
  if (reset !== undefined) bag.set('x-ratelimit-reset', String(reset));
  return bag;
}

test.each([
  ['no headers at all', undefined, 0],
  ['no remaining header', headers('50'), 0],
  ['plenty left', headers('50', '30', SECOND + 2), 0],
  ['just above the reserve (10% of 50 = 5)', headers('50', '6', SECOND + 2), 0],
  ['at the reserve: wait for the reset', headers('50', '5', SECOND + 2), 2000],
  ['exhausted: wait for the reset', headers('50', '0', SECOND + 1), 1000],
  ['small limit: the reserve is at least 2', headers('5', '2', SECOND + 1), 1000],
  ['no limit header: reserve 2', headers(undefined, '3', SECOND + 1), 0],
  ['reset already passed', headers('50', '0', SECOND - 1), 0],
  ['reset absurdly far: capped at 10 s', headers('50', '0', SECOND + 3600), 10_000],
  ['low and no reset: a fixed pause', headers('50', '1'), 1000],
  ['garbage remaining is ignored', headers(undefined, 'soon'), 0],
])('%s', (_label, given, expected) => {
  expect(rateLimitPause(given, NOW)).toBe(expected);
});
