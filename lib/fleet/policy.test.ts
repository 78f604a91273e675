import { describe, expect, it } from 'vitest';
import { certState, DAY_MS, daysBetween, dueAt, dueState, effectivePeriod } from './policy';

const now = new Date('2026-12-03T12:00:00Z');
const inDays = (days: number) => new Date(now.getTime() + days * DAY_MS);

describe('effectivePeriod', () => {
  it.each([
    [90, 180, 365, { days: 90, source: 'connection' }],
    [null, 180, 365, { days: 180, source: 'tenant' }],
    [undefined, null, 365, { days: 365, source: 'default' }],
    [null, undefined, 120, { days: 120, source: 'default' }],
  ] as const)('override %s, tenant %s, default %s → %o', (override, tenant, configured, expected) => {
    expect(effectivePeriod(override, tenant, configured)).toEqual(expected);
  });
});

describe('dueAt and dueState', () => {
  it('is the time the key became current plus the period', () => {
    expect(dueAt(new Date('2026-01-01T00:00:00Z'), 90)?.toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(dueAt(null, 90)).toBeNull();
  });

  it.each([
    [null, 'no_key'],
    [inDays(-400), 'overdue'],
    [inDays(0), 'overdue'],
    [new Date(now.getTime() + 1), 'due_soon'],
    [inDays(30), 'due_soon'],
    [new Date(inDays(30).getTime() + 1), 'ok'],
    [inDays(200), 'ok'],
  ] as const)('due %s → %s', (due, state) => {
    expect(dueState(due, now)).toBe(state);
  });
});

describe('certState', () => {
  it.each([
    [null, 'unknown'],
    [inDays(-1), 'expired'],
    [now, 'expired'],
    [inDays(29), 'expiring'],
    [inDays(30), 'expiring'],
    [inDays(31), 'ok'],
  ] as const)('notAfter %s → %s', (notAfter, state) => {
    expect(certState(notAfter, now)).toBe(state);
  });
});

it('daysBetween rounds down, negative in the past', () => {
  expect(daysBetween(now, inDays(1.9))).toBe(1);
  expect(daysBetween(now, inDays(-0.5))).toBe(-1);
});
