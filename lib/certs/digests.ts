import { toBase64Url, toHex } from './encoding';
import { CertificateError } from './errors';

export interface CertificateDigests {
  /** SHA-1 of the DER certificate as Auth0 writes `fingerprint`: upper-case hex pairs joined by ':'. */
  sha1Fingerprint: string;
  /** The same SHA-1 as Auth0 writes `thumbprint`: upper-case hex, no separators. */
  sha1Thumbprint: string;
  /** SHA-256 of the DER certificate, upper-case hex pairs joined by ':' (as `openssl x509 -fingerprint -sha256`). */
  sha256Fingerprint: string;
  /** JOSE `x5t`: base64url SHA-1. */
  x5t: string;
  /** JOSE `x5t#S256`: base64url SHA-256. */
  x5tS256: string;
}

/** The platform's WebCrypto; browsers hide it outside secure contexts, which would otherwise surface as a TypeError. */
export function webCrypto(): Crypto {
  const crypto = globalThis.crypto;
  if (!crypto?.subtle) {
    throw new CertificateError(
      'no-webcrypto',
      'WebCrypto is unavailable here; certificates can only be checked on a page served over HTTPS or from localhost.',
    );
  }
  return crypto;
}

export async function certificateDigests(der: Uint8Array<ArrayBuffer>): Promise<CertificateDigests> {
  const { subtle } = webCrypto();
  const [sha1, sha256] = await Promise.all([subtle.digest('SHA-1', der), subtle.digest('SHA-256', der)]);
  const sha1Bytes = new Uint8Array(sha1);
  const sha256Bytes = new Uint8Array(sha256);
  return {
    sha1Fingerprint: toHex(sha1Bytes, ':'),
    sha1Thumbprint: toHex(sha1Bytes),
    sha256Fingerprint: toHex(sha256Bytes, ':'),
    x5t: toBase64Url(sha1Bytes),
    x5tS256: toBase64Url(sha256Bytes),
  };
}
