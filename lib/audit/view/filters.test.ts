import { describe, expect, test } from 'vitest';
import { auditHref, auditSearchParams, isFiltered, parseAuditSearch, storeFilters } from './filters';

describe('audit filters ↔ URL', () => {
  test.each<[string, string, Record<string, string>]>([
    ['nothing', '', {}],
    [
      'every field',
      'connection=con_Zm2eT6xWc9FvN3jA&actor=alice@example.com&outcome=succeeded&from=2025-01-01&to=2025-01-31',
      {
        connection: 'con_Zm2eT6xWc9FvN3jA',
        actor: 'alice@example.com',
        outcome: 'succeeded',
        from: '2025-01-01',
        to: '2025-01-31',
      },
    ],
    ['blank fields mean no filter', 'connection=&actor=%20&outcome=&from=&to=', {}],
    ['values are trimmed', 'actor=%20bob@example.com%20', { actor: 'bob@example.com' }],
    ['an unknown outcome is dropped', 'outcome=exploded&actor=bob', { actor: 'bob' }],
    ['a date that is not a day is dropped', 'from=2025-02-30&to=yesterday', {}],
    ['a timestamp is not a day', 'from=2025-01-01T00:00:00Z', {}],
    ['external and in progress are outcomes', 'outcome=in_progress', { outcome: 'in_progress' }],
    ['unknown keys are ignored', 'page=3&format=csv&outcome=external', { outcome: 'external' }],
  ])('%s', (_label, query, expected) => {
    const search = parseAuditSearch(new URLSearchParams(query));
    expect(Object.fromEntries(Object.entries(search).filter(([, value]) => value !== undefined))).toEqual(expected);
  });

  test('a Next.js searchParams record (arrays for repeated keys) reads the same', () => {
    expect(parseAuditSearch({ outcome: ['failed', 'succeeded'], actor: 'bob', to: undefined })).toMatchObject({
      outcome: 'failed',
      actor: 'bob',
    });
  });

  test.each([
    [{}, '/audit'],
    [{ outcome: 'external' as const }, '/audit?outcome=external'],
    [
      { to: '2025-01-31', connection: 'con_Zm2eT6xWc9FvN3jA', actor: 'a b' },
      '/audit?connection=con_Zm2eT6xWc9FvN3jA&actor=a+b&to=2025-01-31',
    ],
  ])('%j is written back in a stable order: %s', (search, href) => {
    expect(auditHref(search)).toBe(href);
    expect(parseAuditSearch(auditSearchParams(search))).toEqual(parseAuditSearch(new URLSearchParams(search)));
  });

  test('dates become the store’s range: from the start of the first day to the start of the day after the last', () => {
    expect(storeFilters(parseAuditSearch(new URLSearchParams('from=2025-01-01&to=2025-01-31')))).toEqual({
      connectionId: undefined,
      actor: undefined,
      outcome: undefined,
      from: new Date('2025-01-01T00:00:00.000Z'),
      to: new Date('2025-02-01T00:00:00.000Z'),
    });
  });

  test.each([
    ['', false],
    ['actor=bob', true],
    ['outcome=', false],
  ])('isFiltered(%s) is %s', (query, expected) => {
    expect(isFiltered(parseAuditSearch(new URLSearchParams(query)))).toBe(expected);
  });
});
