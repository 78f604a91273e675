import { type CertificateDigests, certificateDigests, webCrypto } from './digests';
import { derToPem, pemToDer } from './encoding';
import { CertificateError } from './errors';
import {
  type PublicKeyFacts,
  publicKeyFacts,
  type SignatureAlgorithmFacts,
  signatureAlgorithmFacts,
} from './public-key';
import { X509Certificate } from './x509-runtime';

export interface CertificateFacts extends CertificateDigests {
  /** Distinguished names in the certificate's own RDN order, RFC 4514 escaping ("CN=a, O=Acme\, Inc."). */
  subject: string;
  subjectCommonName: string | null;
  issuer: string;
  /** Upper-case hex as `openssl x509 -serial` prints it. */
  serialNumber: string;
  /** ISO 8601 instants. */
  notBefore: string;
  notAfter: string;
  /** Issuer equals subject and the certificate's own key verifies its signature. */
  selfSigned: boolean;
  publicKey: PublicKeyFacts;
  signatureAlgorithm: SignatureAlgorithmFacts;
  /** The exact bytes the fingerprints are computed over; also the body of a `.cer` download. */
  der: Uint8Array<ArrayBuffer>;
  /** Canonical PEM of `der`, for Copy and the `.pem` download. */
  pem: string;
}

export async function parseCertificate(pem: string): Promise<CertificateFacts> {
  return certificateFactsFromDer(pemToDer(pem));
}

export async function certificateFactsFromDer(der: Uint8Array<ArrayBuffer>): Promise<CertificateFacts> {
  const crypto = webCrypto();
  const cert = decodeCertificate(der);
  const [digests, publicKey, selfSigned] = await Promise.all([
    certificateDigests(der),
    publicKeyFacts(cert, crypto),
    isSelfSigned(cert, crypto),
  ]);
  return {
    subject: cert.subject,
    subjectCommonName: cert.subjectName.getField('CN')[0] ?? null,
    issuer: cert.issuer,
    serialNumber: cert.serialNumber.toUpperCase(),
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    selfSigned,
    publicKey,
    signatureAlgorithm: signatureAlgorithmFacts(cert),
    ...digests,
    der,
    pem: derToPem(der),
  };
}

function decodeCertificate(der: Uint8Array<ArrayBuffer>): X509Certificate {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
    // Touch the lazily decoded fields so a malformed certificate fails here, not later inside the UI.
    void [cert.subject, cert.issuer, cert.serialNumber, cert.notBefore, cert.notAfter, cert.publicKey];
  } catch (cause) {
    throw new CertificateError(
      'invalid-der',
      'The certificate bytes are damaged or are not an X.509 certificate (is the PEM complete?).',
      { cause },
    );
  }
  assertNoTrailingBytes(der);
  return cert;
}

/**
 * The parser stops at the end of the certificate and ignores anything after it, but the fingerprints would be
 * computed over those extra bytes and never match Auth0's. The outer SEQUENCE's own DER length says where the
 * certificate ends (the parser has already accepted that header, so it is well formed).
 */
function assertNoTrailingBytes(der: Uint8Array<ArrayBuffer>): void {
  const length = encodedLength(der) ?? der.byteLength;
  if (length < der.byteLength) {
    throw new CertificateError(
      'trailing-data',
      `The certificate is followed by ${der.byteLength - length} unexpected bytes; its fingerprint would be wrong.`,
    );
  }
}

/** Header plus content length of the DER element at the start of `der`; null if the header is not definite-length. */
function encodedLength(der: Uint8Array): number | null {
  const first = der[1];
  if (first === undefined) return null;
  if (first < 0x80) return 2 + first;
  const octets = first & 0x7f;
  if (octets === 0 || octets > 4 || der.byteLength < 2 + octets) return null;
  let content = 0;
  for (let i = 0; i < octets; i++) content = content * 256 + (der[2 + i] ?? 0);
  return 2 + octets + content;
}

async function isSelfSigned(cert: X509Certificate, crypto: Crypto): Promise<boolean> {
  try {
    return await cert.isSelfSigned(crypto);
  } catch {
    // A signature WebCrypto cannot check is not proof of self-signing.
    return false;
  }
}
