import type { CertificateFacts } from './parse-certificate';
import type { EcCurve } from './public-key';

// No zod here: the rotate form and the keys panel import this module in the browser. The schema the actions
// validate with is built from this list in signing-alg-schema.ts.

/** The `signing_alg` values Auth0 accepts for connection keys, in display order; RS256 is Auth0's default. */
export const SIGNING_ALG_VALUES = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'ES256', 'ES384'] as const;
export type SigningAlg = (typeof SIGNING_ALG_VALUES)[number];

export function isSigningAlg(value: unknown): value is SigningAlg {
  return (SIGNING_ALG_VALUES as readonly unknown[]).includes(value);
}

export const DEFAULT_SIGNING_ALG: SigningAlg = 'RS256';

/** RSA keys below this size are considered broken for JWS (RFC 7518 §3.3 requires at least 2048). */
export const MIN_RSA_BITS = 2048;

export type KeyRequirement = { type: 'RSA'; minBits: number; pss: boolean } | { type: 'EC'; curve: EcCurve };

export interface SigningAlgorithmInfo {
  value: SigningAlg;
  /** What the algorithm is, for the picker ("RSA PKCS#1 v1.5 with SHA-256"). */
  description: string;
  /** The key Auth0 generates for it ("RSA 2048-bit", "EC P-256"). */
  key: string;
  requires: KeyRequirement;
}

const rsa = (pss: boolean): KeyRequirement => ({ type: 'RSA', minBits: MIN_RSA_BITS, pss });

/** In display order; the single source for the rotate form, the action's validation and the key checks. */
export const SIGNING_ALGORITHMS: Readonly<Record<SigningAlg, SigningAlgorithmInfo>> = {
  RS256: { value: 'RS256', description: 'RSA PKCS#1 v1.5 with SHA-256', key: 'RSA 2048-bit', requires: rsa(false) },
  RS384: { value: 'RS384', description: 'RSA PKCS#1 v1.5 with SHA-384', key: 'RSA 2048-bit', requires: rsa(false) },
  RS512: { value: 'RS512', description: 'RSA PKCS#1 v1.5 with SHA-512', key: 'RSA 2048-bit', requires: rsa(false) },
  PS256: { value: 'PS256', description: 'RSA-PSS with SHA-256', key: 'RSA 2048-bit', requires: rsa(true) },
  PS384: { value: 'PS384', description: 'RSA-PSS with SHA-384', key: 'RSA 2048-bit', requires: rsa(true) },
  ES256: {
    value: 'ES256',
    description: 'ECDSA on P-256 with SHA-256',
    key: 'EC P-256',
    requires: { type: 'EC', curve: 'P-256' },
  },
  ES384: {
    value: 'ES384',
    description: 'ECDSA on P-384 with SHA-384',
    key: 'EC P-384',
    requires: { type: 'EC', curve: 'P-384' },
  },
};

export const SIGNING_ALGORITHM_LIST: readonly SigningAlgorithmInfo[] = SIGNING_ALG_VALUES.map(
  (alg) => SIGNING_ALGORITHMS[alg],
);

export function algorithmMatchesKey(alg: SigningAlg, facts: Pick<CertificateFacts, 'publicKey'>): boolean {
  return algorithmKeyWarning(alg, facts) === null;
}

/** Why the certificate's key cannot sign `alg`, as a sentence for the operator; null when it fits. */
export function algorithmKeyWarning(alg: SigningAlg, facts: Pick<CertificateFacts, 'publicKey'>): string | null {
  const { requires } = SIGNING_ALGORITHMS[alg];
  const key = facts.publicKey;
  if (requires.type === 'EC') {
    if (key.type === 'EC' && key.curve === requires.curve) return null;
    const actual = key.type === 'EC' ? `an EC ${key.curve} key` : 'an RSA key';
    return `${alg} needs an EC ${requires.curve} key, but the certificate has ${actual}.`;
  }
  if (key.type !== 'RSA') return `${alg} needs an RSA key, but the certificate has an EC ${key.curve} key.`;
  if (key.bits < requires.minBits) {
    return `${alg} needs an RSA key of at least ${requires.minBits} bits, but the certificate's key has ${key.bits}.`;
  }
  // An id-RSASSA-PSS key is bound to PSS, so it cannot produce PKCS#1 v1.5 (RS*) signatures.
  if (key.pssOnly && !requires.pss) return `${alg} needs a PKCS#1 v1.5 RSA key, but the certificate's key is PSS-only.`;
  return null;
}
