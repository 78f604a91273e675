import 'server-only';
/** Keyshift's own shapes for what Auth0 returns; the SDK's raw objects never leave lib/auth0. */
export interface ConnectionSummary {
  id: string;
  name: string;
  displayName: string | null;
  strategy: string;
  /** Okta or OIDC with Private Key JWT: the only connections Auth0 keeps signing keys for. */
  keyCapable: boolean;
}

export interface ConnectionDetail extends ConnectionSummary {
  /** Why a connection has no keys, in a sentence, when it cannot have any. */
  keysUnsupportedReason: string | null;
  tokenEndpointAuthMethod: string | null;
  realms: string[];
  isDomainConnection: boolean;
}

export type KeyUse = 'signing' | 'encryption';

export interface ConnectionKey {
  kid: string;
  cert: string;
  pkcs: string | null;
  current: boolean;
  next: boolean;
  previous: boolean;
  currentSince: string | null;
  fingerprint: string;
  thumbprint: string;
  algorithm: string | null;
  keyUse: KeyUse | null;
  subjectDn: string | null;
}

/** What rotate returns: the newly generated key, which becomes `next`. */
export type RotatedKey = Omit<ConnectionKey, 'current' | 'previous' | 'currentSince'>;

/** What the connection list knows of a connection's keys without opening it. */
export type KeysState = 'unsupported' | 'not-provisioned' | 'provisioned' | 'unknown';
