import { expect, test } from 'vitest';
import type { ConnectionSummary } from '@/lib/auth0/types';
import { filterConnections } from './filter';

const connections: ConnectionSummary[] = [
  { id: 'con_AAAA1111bbbb2222', name: 'acme-okta', displayName: 'Acme Corp', strategy: 'okta', keyCapable: true },
  { id: 'con_CCCC3333dddd4444', name: 'globex-oidc', displayName: 'Globex', strategy: 'oidc', keyCapable: true },
  { id: 'con_EEEE5555ffff6666', name: 'initech-saml', displayName: null, strategy: 'samlp', keyCapable: false },
];

test.each([
  ['', true, ['acme-okta', 'globex-oidc']],
  ['', false, ['acme-okta', 'globex-oidc', 'initech-saml']],
  ['ACME', true, ['acme-okta']],
  ['globex', true, ['globex-oidc']],
  ['corp', true, ['acme-okta']],
  ['con_cccc', true, ['globex-oidc']],
  ['initech', true, []],
  ['initech', false, ['initech-saml']],
  ['  acme  ', true, ['acme-okta']],
  ['zzz', false, []],
  // A match must lie within one field: the end of a name and the start of a display name do not join.
  ['oktaacme', false, []],
  ['okta acme', false, []],
  ['null', false, []],
])('query %j, key-capable only %s', (query, only, names) => {
  expect(filterConnections(connections, query, only).map((c) => c.name)).toEqual(names);
});

test('a list searched again after changing is searched in its new form', () => {
  const list = [...connections];
  expect(filterConnections(list, 'acme', false)).toHaveLength(1);
  const changed = [...list, { ...connections[0], id: 'con_ZZZZ9999zzzz9999', name: 'acme-two' } as ConnectionSummary];
  expect(filterConnections(changed, 'acme', false).map((c) => c.name)).toEqual(['acme-okta', 'acme-two']);
});

test('at 10,000 connections the search still finds exactly the matching, key-capable ones', () => {
  const many: ConnectionSummary[] = Array.from({ length: 10_000 }, (_, i) => ({
    id: `con_${String(i).padStart(16, '0')}`,
    name: `okta-customer-${String(i).padStart(5, '0')}`,
    displayName: `Customer ${i}`,
    strategy: 'okta',
    keyCapable: i % 5 !== 0,
  }));
  for (const query of ['c', 'cu', 'cus', 'customer-004']) filterConnections(many, query, true);
  expect(filterConnections(many, 'customer-0042', true).map((c) => c.name)).toEqual(
    ['00421', '00422', '00423', '00424', '00426', '00427', '00428', '00429'].map((n) => `okta-customer-${n}`),
  );
  expect(filterConnections(many, 'CUSTOMER 42', false).map((c) => c.id)).toEqual([
    'con_0000000000000042',
    ...Array.from({ length: 10 }, (_, k) => `con_00000000000004${20 + k}`),
    ...Array.from({ length: 100 }, (_, k) => `con_0000000000004${200 + k}`),
  ]);
});
