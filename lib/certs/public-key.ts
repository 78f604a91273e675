import { CertificateError } from './errors';
import type { X509Certificate } from './x509-runtime';

export const EC_CURVES = ['P-256', 'P-384', 'P-521'] as const;
export type EcCurve = (typeof EC_CURVES)[number];

export type PublicKeyFacts =
  | {
      type: 'RSA';
      /** Modulus length. */
      bits: number;
      /** The key is an id-RSASSA-PSS key: usable for PS* only, never for RS* (PKCS#1 v1.5). */
      pssOnly: boolean;
    }
  | { type: 'EC'; curve: EcCurve; bits: number };

const CURVE_BITS: Record<EcCurve, number> = { 'P-256': 256, 'P-384': 384, 'P-521': 521 };

type KeyAlgorithmLike = { name?: string; namedCurve?: string; modulusLength?: number } | null | undefined;

export async function publicKeyFacts(cert: X509Certificate, crypto: Crypto): Promise<PublicKeyFacts> {
  const key = cert.publicKey;
  const algorithm = key.algorithm as KeyAlgorithmLike;
  switch (algorithm?.name) {
    case 'RSASSA-PKCS1-v1_5':
    case 'RSA-PSS': {
      const pssOnly = algorithm.name === 'RSA-PSS';
      // The library reads the modulus of rsaEncryption keys only; a PSS key has to be imported to learn its size.
      const bits = algorithm.modulusLength ?? (await importedModulusLength(cert, crypto));
      return { type: 'RSA', bits, pssOnly };
    }
    case 'ECDSA': {
      const curve = EC_CURVES.find((known) => known === algorithm.namedCurve);
      if (!curve) {
        throw new CertificateError(
          'unsupported-key',
          `The certificate's EC curve (${algorithm.namedCurve}) is not supported.`,
        );
      }
      return { type: 'EC', curve, bits: CURVE_BITS[curve] };
    }
    default:
      throw new CertificateError(
        'unsupported-key',
        `The certificate's public key type (${algorithm?.name ?? 'unknown'}) is not supported; expected RSA or EC.`,
      );
  }
}

async function importedModulusLength(cert: X509Certificate, crypto: Crypto): Promise<number> {
  try {
    const imported = await cert.publicKey.export(crypto);
    const bits = (imported.algorithm as Partial<RsaHashedKeyAlgorithm>).modulusLength;
    if (typeof bits === 'number') return bits;
  } catch (cause) {
    throw new CertificateError('unsupported-key', 'The certificate holds an RSA-PSS key this browser cannot read.', {
      cause,
    });
  }
  throw new CertificateError('unsupported-key', 'The size of the certificate’s RSA key could not be determined.');
}

/** How the key reads on screen: "RSA 2048-bit", "RSA 2048-bit (PSS)" for an id-RSASSA-PSS key, "EC P-256". */
export function describePublicKey(key: PublicKeyFacts): string {
  return key.type === 'RSA' ? `RSA ${key.bits}-bit${key.pssOnly ? ' (PSS)' : ''}` : `EC ${key.curve}`;
}

export interface SignatureAlgorithmFacts {
  /** OpenSSL's name for the algorithm ('sha256WithRSAEncryption', 'ecdsa-with-SHA256', 'RSASSA-PSS'). */
  name: string;
  /** The digest the signature uses ('SHA-256'); null when the algorithm has none the library knows. */
  hash: string | null;
}

const PKCS1_NAMES: Record<string, string> = {
  'SHA-1': 'sha1WithRSAEncryption',
  'SHA-256': 'sha256WithRSAEncryption',
  'SHA-384': 'sha384WithRSAEncryption',
  'SHA-512': 'sha512WithRSAEncryption',
};

export function signatureAlgorithmFacts(cert: X509Certificate): SignatureAlgorithmFacts {
  let algorithm: { name?: string; hash?: { name?: string } } | null;
  try {
    algorithm = cert.signatureAlgorithm;
  } catch {
    // An algorithm the library cannot map is still a certificate worth showing.
    algorithm = null;
  }
  const hash = algorithm?.hash?.name ?? null;
  switch (algorithm?.name) {
    case 'RSASSA-PKCS1-v1_5':
      return { name: (hash && PKCS1_NAMES[hash]) ?? `RSASSA-PKCS1-v1_5 ${hash ?? ''}`.trim(), hash };
    case 'ECDSA':
      return { name: hash ? `ecdsa-with-${hash.replace('-', '')}` : 'ECDSA', hash };
    case 'RSA-PSS':
      return { name: 'RSASSA-PSS', hash };
    default:
      return { name: algorithm?.name ?? 'unknown', hash };
  }
}
