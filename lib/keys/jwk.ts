import 'server-only';
import { createHash, createPublicKey, type JsonWebKey, X509Certificate } from 'node:crypto';
import { isSigningAlg, SIGNING_ALGORITHMS } from '@/lib/certs/signing-algorithms';
import type { HandOff } from './types';

/** A connection key as an IdP admin pastes it (RFC 7517 §4, x5t#S256 for those that prefer SHA-256). */
export interface PublicJwk {
  kty: 'RSA' | 'EC';
  kid: string;
  use: 'sig';
  alg: string;
  n?: string;
  e?: string;
  crv?: string;
  x?: string;
  y?: string;
  x5c: [string];
  x5t: string;
  'x5t#S256': string;
}

export class JwkError extends Error {
  override name = 'JwkError';
}

/** "RSA", "EC P-256": what the certificate holds, in the words the refusal uses. */
function described(jwk: JsonWebKey): string {
  return jwk.kty === 'EC' ? `EC ${jwk.crv}` : String(jwk.kty);
}

/**
 * The JWK of a certificate's public key, from Node's own key export; `alg` is Auth0's algorithm for the key, which
 * must fit the key's type (and curve): a JWK that claims an algorithm its key cannot do would fail at the IdP later.
 */
export function publicJwk(certPem: string, kid: string, algorithm: string | null): PublicJwk {
  if (algorithm === null) throw new JwkError('Auth0 did not say which algorithm this key signs with.');
  if (!isSigningAlg(algorithm)) throw new JwkError(`${algorithm} is not a signing algorithm Keyshift can hand over.`);
  const certificate = new X509Certificate(certPem);
  const key = createPublicKey(certificate.publicKey.export({ type: 'spki', format: 'pem' }));
  if (key.asymmetricKeyType === 'rsa-pss')
    throw new JwkError('This RSA-PSS key is restricted to PSS in its certificate; Node cannot export it as a JWK.');
  const exported = key.export({ format: 'jwk' });
  const requires = SIGNING_ALGORITHMS[algorithm].requires;
  const fits =
    requires.type === 'RSA' ? exported.kty === 'RSA' : exported.kty === 'EC' && exported.crv === requires.curve;
  if (!fits) {
    const wanted = requires.type === 'RSA' ? 'an RSA key' : `an EC ${requires.curve} key`;
    throw new JwkError(`${algorithm} needs ${wanted}; the certificate holds an ${described(exported)} key.`);
  }
  const parameters =
    exported.kty === 'EC'
      ? { crv: String(exported.crv), x: String(exported.x), y: String(exported.y) }
      : { n: String(exported.n), e: String(exported.e) };
  const der = certificate.raw;
  return {
    kty: exported.kty === 'EC' ? 'EC' : 'RSA',
    kid,
    use: 'sig',
    alg: algorithm,
    ...parameters,
    x5c: [der.toString('base64')],
    x5t: createHash('sha1').update(der).digest('base64url'),
    'x5t#S256': createHash('sha256').update(der).digest('base64url'),
  };
}

/** The JWK and the one-key JWKS as the text the browser copies and downloads, or why there is none. */
export function handOff(key: { cert: string; kid: string; algorithm: string | null }): HandOff {
  let jwk: PublicJwk;
  try {
    jwk = publicJwk(key.cert, key.kid, key.algorithm);
  } catch (error) {
    if (error instanceof JwkError) return { ok: false, error: error.message };
    return { ok: false, error: 'The certificate could not be read, so Keyshift cannot derive its JWK.' };
  }
  return { ok: true, jwk: JSON.stringify(jwk, null, 2), jwks: JSON.stringify({ keys: [jwk] }, null, 2) };
}
