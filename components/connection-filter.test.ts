import { expect, test } from 'vitest';
import type { ConnectionSummary } from '@/lib/auth0/types';
import { filterConnections } from './connection-filter';

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
])('query %j, key-capable only %s', (query, only, names) => {
  expect(filterConnections(connections, query, only).map((c) => c.name)).toEqual(names);
});
