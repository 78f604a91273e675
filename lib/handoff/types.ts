/** Plain data about hand-off links, safe to send to the browser (no secrets: a link's URL is meant to be shared). */

// The server's range is lib/schemas.ts createHandoffLinkInput (1–30 days, 7 by default); repeated here so that the
// browser bundle does not take zod for three numbers (links.test.ts checks they agree).
export const HANDOFF_DEFAULT_DAYS = 7;
/** What the panel offers; the server takes any whole number of days from 1 to 30. */
export const HANDOFF_DAY_CHOICES = [1, 3, 7, 14, 30] as const;

export type HandoffLinkStatus = 'active' | 'expired' | 'revoked';

export interface HandoffPerson {
  sub: string;
  name: string | null;
  email: string | null;
}

/** One link as the connection page lists it; `url` only while it is active (a dead link is not worth copying). */
export interface HandoffLinkView {
  id: string;
  url: string | null;
  status: HandoffLinkStatus;
  createdAt: string;
  createdBy: HandoffPerson;
  expiresAt: string;
  revokedAt: string | null;
  revokedBy: HandoffPerson | null;
}

/** One public key as the hand-off page shows it: every form an IdP takes, all public. */
export interface HandoffKey {
  role: 'next' | 'current';
  kid: string;
  algorithm: string | null;
  notBefore: string | null;
  notAfter: string | null;
  /** base64url SHA-1 and SHA-256 of the DER certificate, as in the JWK. */
  x5t: string | null;
  x5tS256: string | null;
  /** Auth0's thumbprint (hex SHA-1), as some consoles show it. */
  thumbprint: string;
  pem: string;
  derBase64: string | null;
  jwk: string | null;
  jwks: string | null;
  /** Why there is no JWK (a key type or curve that does not fit its algorithm), when there is none. */
  jwkError: string | null;
}

/** What an open of a link shows: one connection, nothing else. */
export type HandoffOpenResult =
  | {
      status: 'valid';
      connectionName: string;
      tenant: string;
      jwksUrl: string;
      expiresAt: string;
      keys: HandoffKey[];
    }
  | { status: 'expired'; expiredAt: string }
  | { status: 'revoked'; revokedAt: string }
  | { status: 'unavailable' }
  | { status: 'invalid' };
