import 'server-only';
import type { ConnectionKey, RotatedKey } from '@/lib/auth0/types';
import { parseCertificate } from '@/lib/certs/parse-certificate';
import { describePublicKey } from '@/lib/certs/public-key';
import { verifyAgainstAuth0 } from '@/lib/certs/verify-auth0';
import { handOff } from './jwk';
import type { CertificateSummary, KeyView, RotatedKeyView } from './types';

/** What the certificate itself says, recomputed from its bytes; what Auth0 claims is checked against it. */
async function summarize(key: Pick<ConnectionKey, 'cert' | 'fingerprint' | 'thumbprint'>): Promise<CertificateSummary> {
  try {
    const facts = await parseCertificate(key.cert);
    const verification = verifyAgainstAuth0(facts, { fingerprint: key.fingerprint, thumbprint: key.thumbprint });
    return {
      ok: true,
      subject: facts.subject,
      issuer: facts.issuer,
      serialNumber: facts.serialNumber,
      notBefore: facts.notBefore,
      notAfter: facts.notAfter,
      selfSigned: facts.selfSigned,
      publicKey: describePublicKey(facts.publicKey),
      signatureAlgorithm: facts.signatureAlgorithm.name,
      sha1Fingerprint: facts.sha1Fingerprint,
      sha1Thumbprint: facts.sha1Thumbprint,
      sha256Fingerprint: facts.sha256Fingerprint,
      derBase64: Buffer.from(facts.der).toString('base64'),
      verified: verification.verified,
      mismatches: verification.checks.filter((check) => !check.matches).map((check) => check.message),
    };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : 'The certificate could not be read.' };
  }
}

/** Next first, then current, then previous: the order in which the keys will be used. */
const ORDER = (key: ConnectionKey) => (key.next ? 0 : key.current ? 1 : key.previous ? 2 : 3);

export async function keyViews(keys: ConnectionKey[]): Promise<KeyView[]> {
  const sorted = [...keys].sort((a, b) => ORDER(a) - ORDER(b));
  return Promise.all(sorted.map(async (key) => ({ ...key, certificate: await summarize(key), handOff: handOff(key) })));
}

export async function rotatedKeyView(key: RotatedKey, jwksUrl: string): Promise<RotatedKeyView> {
  return { ...key, certificate: await summarize(key), handOff: handOff(key), jwksUrl };
}
