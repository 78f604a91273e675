import { expect, test } from 'vitest';
import { switchedPath, tenantHref } from './paths';

test.each([
  ['/dev', '', '/prod'],
  ['/dev/audit', 'outcome=succeeded&connection=con_1', '/prod/audit?outcome=succeeded&connection=con_1'],
  ['/dev/connections/con_abc', '', '/prod/connections/con_abc?from=dev'],
  ['/dev/connections/con_abc', 'x=1', '/prod/connections/con_abc?from=dev'],
  ['/dev/campaigns', '', '/prod/campaigns'],
  ['/dev/campaigns/6f1c2d4e-0000-4000-8000-000000000000', '', '/prod/campaigns'],
])('switching from %s?%s to prod keeps the place: %s', (pathname, search, expected) => {
  expect(switchedPath(pathname, search, 'dev', 'prod')).toBe(expected);
});

test('a tenant’s home is its slug alone', () => {
  expect(tenantHref('dev', '/')).toBe('/dev');
  expect(tenantHref('dev', '/audit?outcome=failed')).toBe('/dev/audit?outcome=failed');
});
