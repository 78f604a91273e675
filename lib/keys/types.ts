import type { ConnectionKey, RotatedKey } from '@/lib/auth0/types';

/** Plain data, safe to send to the browser: certificates are public, and the heavy parsing stays on the server. */
export type CertificateSummary =
  | {
      ok: true;
      subject: string;
      issuer: string;
      serialNumber: string;
      notBefore: string;
      notAfter: string;
      selfSigned: boolean;
      /** "RSA 2048-bit", "EC P-256". */
      publicKey: string;
      signatureAlgorithm: string;
      sha1Fingerprint: string;
      sha1Thumbprint: string;
      sha256Fingerprint: string;
      derBase64: string;
      /** Auth0's fingerprint and thumbprint equal the ones computed from the certificate bytes. */
      verified: boolean;
      mismatches: string[];
    }
  | { ok: false; error: string };

/** The key as a JWK and a one-key JWKS (JSON text, public material only), or why Keyshift refused to derive it. */
export type HandOff = { ok: true; jwk: string; jwks: string } | { ok: false; error: string };

export interface KeyView extends ConnectionKey {
  certificate: CertificateSummary;
  handOff: HandOff;
}

export interface RotatedKeyView extends RotatedKey {
  certificate: CertificateSummary;
  handOff: HandOff;
  /** The connection's public JWKS on the tenant's own domain: what a `jwks_url` IdP fetches. */
  jwksUrl: string;
}
