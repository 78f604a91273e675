import { describe, expect, test } from 'vitest';
import { absoluteTime, actorLabel, formatDuration, relativeTime } from './format';

const NOW = Date.parse('2025-06-01T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

describe('relativeTime', () => {
  test.each([
    [ago(10_000), 'just now'],
    [ago(-10_000), 'just now'],
    [ago(90_000), '2 minutes ago'],
    [ago(59 * 60_000), '59 minutes ago'],
    [ago(3 * 3_600_000), '3 hours ago'],
    [ago(26 * 3_600_000), 'yesterday'],
    [ago(3 * 86_400_000), '3 days ago'],
    [ago(14 * 86_400_000), '2 weeks ago'],
    [ago(400 * 86_400_000), 'last year'],
    [ago(-2 * 3_600_000), 'in 2 hours'],
  ])('%s → %s', (iso, expected) => {
    expect(relativeTime(iso, NOW)).toBe(expected);
  });
});

test.each([
  [null, '—'],
  [0, '0 ms'],
  [412, '412 ms'],
  [1_234, '1.23 s'],
  [12_345, '12.3 s'],
  [125_000, '2 min 5 s'],
])('formatDuration(%s) → %s', (ms, expected) => {
  expect(formatDuration(ms)).toBe(expected);
});

test('absoluteTime is UTC to the second', () => {
  expect(absoluteTime('2025-03-04T13:05:09.123Z')).toBe('2025-03-04 13:05:09 UTC');
});

test.each([
  [{ actorName: 'Alice', actorEmail: 'a@x', actorSub: 's' }, 'Alice'],
  [{ actorName: null, actorEmail: 'a@x', actorSub: 's' }, 'a@x'],
  [{ actorName: null, actorEmail: null, actorSub: 'demo-m2m' }, 'demo-m2m'],
  [{ actorName: null, actorEmail: null, actorSub: null }, 'unknown'],
])('actorLabel %j → %s', (row, expected) => {
  expect(actorLabel(row)).toBe(expected);
});
