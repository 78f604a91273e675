import { randomUUID } from 'node:crypto';
import { errors, exportJWK, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';
import { apiError, type HttpError, sleep } from './http';
import { generateKey, type KeyMaterial } from './key-material';
import type { M2mClient, TenantIdentity } from './tenant';

export const TOKEN_LIFETIME_SECONDS = 86_400;

/** The tenant key that signs Management API access tokens; persisted so tokens outlive a restart. */
export interface TokenSigningKey {
  material: KeyMaterial;
  privateJwk: JWK;
}

/** A new key for the tenant on `domain` (its certificate's subject is `CN=<domain>`). */
export async function createTokenSigningKey(domain: string): Promise<TokenSigningKey> {
  const { material, privateKey } = await generateKey('RS256', domain);
  return { material, privateJwk: await exportJWK(privateKey) };
}

export interface VerifiedToken {
  clientId: string;
  scopes: string[];
  jti?: string;
}

/**
 * Auth0's 401 messages from its JWT validation. The `attributes.error` echo is how Auth0's hapi stack
 * renders auth errors (*unconfirmed* for every message).
 */
function unauthorized(message: string): HttpError {
  return apiError(401, message, undefined, { attributes: { error: message } });
}

export class AccessTokens {
  /** Tokens issued before this instant (ms) are rejected: the `expire-tokens` fault. */
  private revokedBeforeMs = 0;

  private constructor(
    private readonly identity: TenantIdentity,
    private readonly key: TokenSigningKey,
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
  ) {}

  /** Tokens of the tenant `identity` names (issuer, audience), signed with `key`. */
  static async from(identity: TenantIdentity, key: TokenSigningKey): Promise<AccessTokens> {
    const privateKey = (await importJWK(key.privateJwk, 'RS256')) as CryptoKey;
    const publicKey = (await importJWK(key.material.jwk, 'RS256')) as CryptoKey;
    return new AccessTokens(identity, key, privateKey, publicKey);
  }

  get signingKey(): TokenSigningKey {
    return this.key;
  }

  get jwks(): { keys: object[] } {
    return { keys: [this.key.material.jwk] };
  }

  revokeAll(): number {
    this.revokedBeforeMs = Date.now() + 1;
    return this.revokedBeforeMs;
  }

  async issue(client: M2mClient, scopes: readonly string[], lifetimeSeconds = TOKEN_LIFETIME_SECONDS): Promise<string> {
    // `iat` has whole seconds: right after a revocation, wait for the next second so a fresh token is not
    // mistaken for one issued before it. A loop, because a timer may fire a millisecond or two before Date.now()
    // says its time has come (it counts from the event loop's cached clock).
    while (Math.floor(Date.now() / 1000) * 1000 < this.revokedBeforeMs) await sleep(1000 - (Date.now() % 1000));
    const iat = Math.floor(Date.now() / 1000);
    return new SignJWT({ scope: scopes.join(' '), gty: 'client-credentials', azp: client.client_id })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.key.material.kid })
      .setIssuer(this.identity.issuer)
      .setSubject(`${client.client_id}@clients`)
      .setAudience(this.identity.managementAudience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + lifetimeSeconds)
      .setJti(randomUUID())
      .sign(this.privateKey);
  }

  /** Validates `Authorization: Bearer <jwt>` as the Management API does, or throws its 401. */
  async verify(authorization: string | undefined): Promise<VerifiedToken> {
    if (!authorization) throw unauthorized('Missing authentication');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) throw unauthorized('Bad HTTP authentication header format');
    try {
      const { payload } = await jwtVerify(match[1], this.publicKey, {
        issuer: this.identity.issuer,
        audience: this.identity.managementAudience,
        algorithms: ['RS256'],
        requiredClaims: ['exp', 'iat', 'sub'],
      });
      if ((payload.iat ?? 0) * 1000 < this.revokedBeforeMs) {
        throw unauthorized('Expired token received for JSON Web Token validation');
      }
      const clientId = typeof payload.azp === 'string' ? payload.azp : String(payload.sub).replace(/@clients$/, '');
      const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
      return { clientId, scopes, jti: payload.jti };
    } catch (error) {
      if (error instanceof errors.JWTExpired)
        throw unauthorized('Expired token received for JSON Web Token validation');
      if (error instanceof errors.JWSSignatureVerificationFailed) {
        throw unauthorized('Invalid signature received for JSON Web Token validation');
      }
      if (error instanceof errors.JOSEError) throw unauthorized('Invalid token');
      throw error;
    }
  }
}

/** 403 naming every scope the endpoint needs, in Auth0's words. */
export function requireScopes(token: VerifiedToken, needed: readonly string[]): void {
  if (needed.every((scope) => token.scopes.includes(scope))) return;
  throw apiError(403, `Insufficient scope; expected all of: ${needed.join(', ')}.`, 'insufficient_scope');
}
