import { describe, expect, test } from 'vitest';
import type { ConnectionListSnapshot } from '@/lib/auth0/connection-cache';
import type { ConnectionSummary } from '@/lib/auth0/types';
import { formatAge, formatCount, mergeSnapshot, previewSnapshot, sinceOf } from './list-state';

const acme: ConnectionSummary = {
  id: 'con_Q7tLk2vMx9RbW4sE',
  name: 'okta-acme',
  displayName: null,
  strategy: 'okta',
  keyCapable: true,
};

function snapshot(partial: Partial<ConnectionListSnapshot>): ConnectionListSnapshot {
  return { scope: 'key-capable', connections: null, fetchedAt: null, loading: null, error: null, now: 0, ...partial };
}

describe('mergeSnapshot', () => {
  const held = snapshot({ connections: [acme], fetchedAt: 100 });

  test('an unchanged answer keeps the held list and takes the new status', () => {
    const merged = mergeSnapshot(held, snapshot({ fetchedAt: 100, loading: { loaded: 300, startedAt: 1 } }));
    expect(merged.connections).toBe(held.connections);
    expect(merged.loading).toEqual({ loaded: 300, startedAt: 1 });
  });

  test.each([
    ['a newer list replaces the held one', snapshot({ connections: [], fetchedAt: 200 }), []],
    ['a first list arrives', snapshot({ connections: [acme], fetchedAt: 100 }), [acme]],
    ['an answer for another fetchedAt without a list holds nothing', snapshot({ fetchedAt: 200 }), null],
  ])('%s', (_label, answer, expected) => {
    expect(mergeSnapshot(held, answer).connections).toEqual(expected);
  });

  test('a held preview is never mistaken for the whole list', () => {
    const preview = snapshot({ connections: [acme], fetchedAt: 100, preview: { total: 5000 } });
    expect(mergeSnapshot(preview, snapshot({ fetchedAt: 100 })).connections).toBeNull();
  });

  test('with nothing held, the answer stands as it is', () => {
    const answer = snapshot({ loading: { loaded: 0, startedAt: 1 } });
    expect(mergeSnapshot(undefined, answer)).toBe(answer);
  });
});

test.each([
  [undefined, undefined],
  [snapshot({ loading: { loaded: 5, startedAt: 1 } }), undefined],
  [snapshot({ connections: [acme], fetchedAt: 100 }), 100],
  [snapshot({ connections: [acme], fetchedAt: 100, preview: { total: 2 } }), undefined],
])('sinceOf %#', (held, expected) => {
  expect(sinceOf(held)).toBe(expected);
});

test.each([
  [-5, 'just now'],
  [0, 'just now'],
  [4_999, 'just now'],
  [5_000, '5 s ago'],
  [59_999, '59 s ago'],
  [60_000, '1 min ago'],
  [3_599_999, '59 min ago'],
  [7_200_000, '2 h ago'],
])('formatAge(%i) = %s', (ms, text) => {
  expect(formatAge(ms)).toBe(text);
});

test('formatCount groups thousands the same way everywhere', () => {
  expect(formatCount(10_007)).toBe('10,007');
});

describe('previewSnapshot', () => {
  const many = Array.from({ length: 100 }, (_, i) => ({ ...acme, id: `con_${String(i).padStart(16, '0')}` }));

  test('a long list keeps its first rows and says how long it is', () => {
    const preview = previewSnapshot(snapshot({ connections: many, fetchedAt: 1 }), 30);
    expect(preview.connections).toEqual(many.slice(0, 30));
    expect(preview.preview).toEqual({ total: 100 });
    expect(preview.fetchedAt).toBe(1);
  });

  test.each([
    ['a short list', snapshot({ connections: many.slice(0, 30), fetchedAt: 1 })],
    ['no list yet', snapshot({ loading: { loaded: 40, startedAt: 0 } })],
  ])('%s is left whole', (_label, whole) => {
    expect(previewSnapshot(whole, 30)).toBe(whole);
  });
});
