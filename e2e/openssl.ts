import { execFileSync } from 'node:child_process';

/** SHA-1 fingerprint of a certificate file as openssl prints it, or throws if openssl refuses the file. */
export function opensslFingerprint(path: string, form: 'PEM' | 'DER'): string {
  const out = execFileSync('openssl', ['x509', '-inform', form, '-in', path, '-noout', '-fingerprint', '-sha1'], {
    encoding: 'utf8',
  });
  return out.trim().split('=')[1] ?? '';
}

/** The certificates a PKCS#7 file holds, as PEM, via `openssl pkcs7 -print_certs`. */
export function opensslPkcs7Fingerprint(path: string): string {
  const pem = execFileSync('openssl', ['pkcs7', '-in', path, '-print_certs'], { encoding: 'utf8' });
  const out = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha1'], { input: pem, encoding: 'utf8' });
  return out.trim().split('=')[1] ?? '';
}
