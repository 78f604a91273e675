import { z } from 'zod';
import type { CertificateFacts } from './parse-certificate';

/** What Auth0 states about a key's certificate (ConnectionKey / RotateResponse `fingerprint` and `thumbprint`). */
export const auth0CertificateDigestsSchema = z.object({
  fingerprint: z.string(),
  thumbprint: z.string(),
});
export type Auth0CertificateDigests = z.infer<typeof auth0CertificateDigestsSchema>;

export type DigestField = keyof Auth0CertificateDigests;

export interface DigestCheck {
  field: DigestField;
  /** As Auth0 returned it. */
  expected: string;
  /** Computed from the certificate bytes, in Auth0's format. */
  actual: string;
  matches: boolean;
  /** One sentence for the operator; names the first differing character on a mismatch. */
  message: string;
}

export interface Auth0Verification {
  verified: boolean;
  checks: DigestCheck[];
}

const FIELD_NAMES: Record<DigestField, string> = {
  fingerprint: 'SHA-1 fingerprint',
  thumbprint: 'SHA-1 thumbprint',
};

/**
 * Auth0's formats are fixed (upper-case hex, ':'-joined pairs for the fingerprint, none for the thumbprint), so only
 * case is forgiven: a value with other separators is a mismatch, reported as a format difference.
 */
export function verifyAgainstAuth0(
  facts: Pick<CertificateFacts, 'sha1Fingerprint' | 'sha1Thumbprint'>,
  auth0: Auth0CertificateDigests,
): Auth0Verification {
  const checks = [
    check('fingerprint', auth0.fingerprint, facts.sha1Fingerprint),
    check('thumbprint', auth0.thumbprint, facts.sha1Thumbprint),
  ];
  return { verified: checks.every((c) => c.matches), checks };
}

function check(field: DigestField, expected: string, actual: string): DigestCheck {
  const matches = expected.toUpperCase() === actual;
  return { field, expected, actual, matches, message: digestMessage(field, expected, actual, matches) };
}

function digestMessage(field: DigestField, expected: string, actual: string, matches: boolean): string {
  const name = FIELD_NAMES[field];
  if (matches) return `The ${name} matches the certificate.`;
  if (expected === '') return `Auth0 returned no ${name}.`;
  const hexOnly = (value: string) => value.toUpperCase().replace(/[^0-9A-F]/g, '');
  if (hexOnly(expected) === hexOnly(actual)) {
    return `Auth0's ${name} holds the right digest in the wrong format: Auth0 sent ${expected}; its format is ${actual}.`;
  }
  const upper = expected.toUpperCase();
  let at = 0;
  while (at < upper.length && upper[at] === actual[at]) at++;
  return `Auth0's ${name} does not match the certificate (first difference at character ${at + 1}): Auth0 says ${expected}, the certificate's is ${actual}.`;
}
