import type { ConnectionDetail, ConnectionKey } from '@/lib/auth0/types';

/** A connection key in one lifecycle state, for the rotation tests; only kid and state matter to the logic. */
export function testKey(kid: string, state: 'current' | 'next' | 'previous'): ConnectionKey {
  return {
    kid,
    cert: `cert-${kid}`,
    pkcs: null,
    current: state === 'current',
    next: state === 'next',
    previous: state === 'previous',
    currentSince: state === 'current' ? '2026-01-01T00:00:00.000Z' : null,
    fingerprint: `F:${kid}`,
    thumbprint: `T${kid}`,
    algorithm: 'RS256',
    keyUse: 'signing',
    subjectDn: 'CN=acme',
  };
}

/** A key-capable Okta connection named acme-okta, as lib/auth0 describes it, for the rotation tests. */
export function testConnection(id = 'con_AAAAAAAAAAAAAAAA'): ConnectionDetail {
  return {
    id,
    name: 'acme-okta',
    displayName: 'Acme',
    strategy: 'okta',
    keyCapable: true,
    keysUnsupportedReason: null,
    tokenEndpointAuthMethod: 'private_key_jwt',
    realms: [],
    isDomainConnection: false,
  };
}
