import { createHash, randomBytes, webcrypto } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import type { SigningAlg } from './tenant';
import { x509 } from './x509';

/** The public half of a signing key, in every shape Auth0 hands out. Private keys are never kept. */
export interface KeyMaterial {
  kid: string;
  /** PEM with CRLF line breaks, as Auth0's API examples show. */
  cert: string;
  /** Certs-only PKCS#7 (`-----BEGIN PKCS7-----`), CRLF. */
  pkcs: string;
  fingerprint: string;
  thumbprint: string;
  algorithm: SigningAlg;
  subject_dn: string;
  jwk: PublicJwk;
}

export interface PublicJwk extends JWK {
  kid: string;
  alg: SigningAlg;
  use: 'sig';
  x5c: string[];
  x5t: string;
}

type GenParams = RsaHashedKeyGenParams | EcKeyGenParams;
type SignParams = Algorithm | EcdsaParams | RsaPssParams;

const rsa = (name: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS', hash: string): RsaHashedKeyGenParams => ({
  name,
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash,
});

/** Key type and certificate signature per JWS algorithm (RFC 7518 §3.1). */
const ALGORITHMS: Record<SigningAlg, { generate: GenParams; sign: SignParams }> = {
  RS256: { generate: rsa('RSASSA-PKCS1-v1_5', 'SHA-256'), sign: { name: 'RSASSA-PKCS1-v1_5' } },
  RS384: { generate: rsa('RSASSA-PKCS1-v1_5', 'SHA-384'), sign: { name: 'RSASSA-PKCS1-v1_5' } },
  RS512: { generate: rsa('RSASSA-PKCS1-v1_5', 'SHA-512'), sign: { name: 'RSASSA-PKCS1-v1_5' } },
  // The salt length equals the hash length, as RFC 7518 requires for PS256/PS384.
  PS256: { generate: rsa('RSA-PSS', 'SHA-256'), sign: { name: 'RSA-PSS', saltLength: 32 } as RsaPssParams },
  PS384: { generate: rsa('RSA-PSS', 'SHA-384'), sign: { name: 'RSA-PSS', saltLength: 48 } as RsaPssParams },
  ES256: { generate: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams },
  ES384: { generate: { name: 'ECDSA', namedCurve: 'P-384' }, sign: { name: 'ECDSA', hash: 'SHA-384' } as EcdsaParams },
};

const CERT_VALIDITY_DAYS = 365;

export interface GeneratedKey {
  material: KeyMaterial;
  privateKey: CryptoKey;
}

/**
 * Benchmarks only (`--key-pool N`): key pairs are drawn in turn from N per algorithm, each key still with a certificate
 * of its own. A 10,000-connection tenant then needs no 20,000 RSA key generations; kids repeat across connections.
 */
let pool: { size: number; pairs: Map<SigningAlg, Promise<CryptoKeyPair>[]>; turn: number } | null = null;

export function setKeyPool(size: number): void {
  pool = size > 0 ? { size, pairs: new Map(), turn: 0 } : null;
}

function keyPair(alg: SigningAlg): Promise<CryptoKeyPair> {
  const fresh = () =>
    webcrypto.subtle.generateKey(ALGORITHMS[alg].generate, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
  if (!pool) return fresh();
  let pairs = pool.pairs.get(alg);
  if (!pairs) {
    pairs = [];
    pool.pairs.set(alg, pairs);
  }
  const index = pool.turn++ % pool.size;
  pairs[index] ??= fresh();
  return pairs[index];
}

/** Generates a key pair and a self-signed certificate whose subject is `CN=<commonName>`. */
export async function generateKey(alg: SigningAlg, commonName: string, from: Date = new Date()): Promise<GeneratedKey> {
  const { sign } = ALGORITHMS[alg];
  const keys = await keyPair(alg);
  const notBefore = new Date(Math.floor(from.getTime() / 1000) * 1000);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: positiveSerial(),
    // JSON form, so a name is never parsed as DN syntax.
    name: [{ CN: [commonName] }],
    notBefore,
    notAfter: new Date(notBefore.getTime() + CERT_VALIDITY_DAYS * 86_400_000),
    keys,
    signingAlgorithm: sign,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { material: await describeCertificate(cert, keys.publicKey, alg), privateKey: keys.privateKey };
}

async function describeCertificate(cert: x509.X509Certificate, publicKey: CryptoKey, alg: SigningAlg) {
  const der = Buffer.from(cert.rawData);
  const sha1 = createHash('sha1').update(der).digest();
  const thumbprint = sha1.toString('hex').toUpperCase();
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  const pkcs = x509.PemConverter.encode(new x509.X509Certificates([cert]).export('raw'), 'PKCS7');
  const material: KeyMaterial = {
    kid,
    cert: crlf(cert.toString('pem')),
    pkcs: crlf(pkcs),
    fingerprint: thumbprint.match(/../g)?.join(':') ?? thumbprint,
    thumbprint,
    algorithm: alg,
    subject_dn: cert.subject,
    jwk: { ...publicOnly(jwk), kid, alg, use: 'sig', x5c: [der.toString('base64')], x5t: sha1.toString('base64url') },
  };
  return material;
}

/** exportJWK of a public key has no private members, but key_ops/ext are WebCrypto noise, not JWKS members. */
function publicOnly({ kty, n, e, crv, x, y }: JWK): JWK {
  return kty === 'EC' ? { kty, crv, x, y } : { kty, n, e };
}

/** 16 random bytes with the top bit clear: DER INTEGERs are signed and RFC 5280 wants serials positive. */
function positiveSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f || 0x01;
  return bytes.toString('hex');
}

function crlf(pem: string): string {
  return pem.replace(/\r?\n/g, '\r\n').trimEnd();
}
