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

export interface KeyView extends ConnectionKey {
  certificate: CertificateSummary;
}

export interface RotatedKeyView extends RotatedKey {
  certificate: CertificateSummary;
}
