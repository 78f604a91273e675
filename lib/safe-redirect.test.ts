import { expect, test } from 'vitest';
import { safeReturnPath } from './safe-redirect';

test.each([
  [undefined, '/'],
  ['', '/'],
  ['/connections/con_1', '/connections/con_1'],
  ['/audit?outcome=failed', '/audit?outcome=failed'],
  ['https://evil.example/', '/'],
  ['//evil.example/', '/'],
  ['/\\evil.example', '/'],
  ['javascript:alert(1)', '/'],
  [['/a', '/b'], '/a'],
])('%j → %s', (input, expected) => {
  expect(safeReturnPath(input)).toBe(expected);
});
