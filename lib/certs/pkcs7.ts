import { decodePemBlock, PKCS7_LABELS, pemToDer } from './encoding';
import { CertificateError } from './errors';
import { type CertificateFacts, certificateFactsFromDer } from './parse-certificate';
import { X509Certificates } from './x509-runtime';

/** The certificates inside a certs-only PKCS#7 PEM (Auth0's `pkcs`), in bundle order. */
export async function pkcs7Certificates(pkcsPem: string): Promise<CertificateFacts[]> {
  return Promise.all(bundleDers(pkcsPem).map((der) => certificateFactsFromDer(der)));
}

/** Whether the bundle carries exactly this certificate (byte for byte), as Auth0's `cert` and `pkcs` should. */
export async function pkcs7HoldsCertificate(pkcsPem: string, certPem: string): Promise<boolean> {
  const wanted = pemToDer(certPem);
  return bundleDers(pkcsPem).some((der) => sameBytes(der, wanted));
}

function bundleDers(pkcsPem: string): Uint8Array<ArrayBuffer>[] {
  const der = decodePemBlock(pkcsPem, PKCS7_LABELS, 'PKCS#7 bundle');
  try {
    return new X509Certificates(der).map((cert) => new Uint8Array(cert.rawData));
  } catch (cause) {
    throw new CertificateError('invalid-der', 'The PKCS#7 bundle is damaged or is not a PKCS#7 SignedData structure.', {
      cause,
    });
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((byte, index) => byte === b[index]);
}
