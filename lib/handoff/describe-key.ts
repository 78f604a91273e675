import 'server-only';
import type { ConnectionKey } from '@/lib/auth0/types';
import { parseCertificate } from '@/lib/certs/parse-certificate';
import { handOff } from '@/lib/keys/jwk';
import type { HandoffKey } from './types';

/**
 * Every public form of one key an IdP takes, derived from the certificate's bytes (the JWK as lib/keys derives it for
 * the connection page, so both pages show the same JWK). A certificate that cannot be read still shows Auth0's PEM.
 */
export async function describeHandoffKey(key: ConnectionKey): Promise<Omit<HandoffKey, 'role'>> {
  const forms = handOff(key);
  const jwk = forms.ok ? (JSON.parse(forms.jwk) as { x5t?: string; 'x5t#S256'?: string }) : null;
  const certificate = await parseCertificate(key.cert).catch(() => null);
  return {
    kid: key.kid,
    algorithm: key.algorithm,
    notBefore: certificate?.notBefore ?? null,
    notAfter: certificate?.notAfter ?? null,
    x5t: jwk?.x5t ?? null,
    x5tS256: jwk?.['x5t#S256'] ?? null,
    thumbprint: key.thumbprint,
    pem: certificate?.pem ?? key.cert,
    derBase64: certificate ? Buffer.from(certificate.der).toString('base64') : null,
    jwk: forms.ok ? forms.jwk : null,
    jwks: forms.ok ? forms.jwks : null,
    jwkError: forms.ok ? null : forms.error,
  };
}
