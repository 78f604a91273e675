import { apiError } from './http';
import { thumbprintOf } from './idp-keys';
import type { PublicJwk } from './key-material';
import type { KeyRing } from './keyring';
import type { LogEvent } from './logs';
import type { Connection } from './tenant';
import type { TenantStore } from './tenant-store';
import {
  ASSERTION_ERRORS,
  judgeAssertion,
  newIdp,
  type PastedKey,
  type TrustMode,
  type UpstreamIdp,
} from './upstream-idp';

export const isKeyCapable = (connection: Connection) =>
  (connection.strategy === 'okta' || connection.strategy === 'oidc') &&
  connection.options.token_endpoint_auth_method === 'private_key_jwt';

export type Clock = () => number;

/**
 * The simulated IdPs behind the tenant's key-capable connections, and the sign-in traffic through them. How the
 * seeded ones trust keys comes from the tenant's seed (`idpTrust`): the pasted ones start out trusting their
 * connection's current key, so sign-ins work until a rotation nobody prepared.
 */
export class UpstreamIdps {
  private idps = new Map<string, UpstreamIdp>();
  private credit = new Map<string, number>();
  private signIns = 0;
  private readonly seededWithKeys: ReadonlySet<string>;

  constructor(
    private readonly tenant: TenantStore,
    private readonly clock: Clock,
  ) {
    tenant.onSeededKeys = (id, ring) => this.seededKeys(id, ring);
    this.seededWithKeys = new Set(
      tenant.seed.connections.filter((seed) => seed.keys !== undefined).map((seed) => seed.id),
    );
  }

  private hasSeededKeys(connection: Connection): boolean {
    return this.seededWithKeys.has(connection.id);
  }

  private seededTrust(connection: Connection): TrustMode | undefined {
    return this.tenant.seed.idpTrust[connection.name];
  }

  /** The IdP behind a key-capable connection (created on first use), or a 404. */
  async get(connection: Connection): Promise<UpstreamIdp> {
    if (!isKeyCapable(connection)) {
      throw apiError(404, `${connection.name} does not sign client assertions (not Private Key JWT)`);
    }
    // Generating seeded keys (first use) creates a seeded pasted IdP trusting the current key (seededKeys).
    const ring = await this.tenant.keyRing(connection.id);
    const existing = this.idps.get(connection.id);
    if (existing) return existing;
    const idp = newIdp(this.seededTrust(connection) ?? 'jwks_url');
    this.idps.set(connection.id, idp);
    // A state file from before the IdPs existed: a seeded pasted IdP trusts the current key, as it would have.
    if (ring && idp.mode === 'pasted' && this.hasSeededKeys(connection)) await this.trust(idp, ring.current.jwk);
    return idp;
  }

  /** Seeded pasted IdPs trust the key that is current when the seeded keys are generated. */
  private async seededKeys(id: string, ring: KeyRing): Promise<void> {
    const connection = this.tenant.connection(id);
    if (!connection || !this.hasSeededKeys(connection) || this.seededTrust(connection) !== 'pasted') return;
    if (this.idps.has(id)) return;
    const idp = newIdp('pasted');
    this.idps.set(id, idp);
    await this.trust(idp, ring.current.jwk);
  }

  private async trust(idp: UpstreamIdp, jwk: PublicJwk): Promise<void> {
    const { kty = '', kid, alg, use, n, e, crv, x, y } = jwk;
    const publicJwk = Object.fromEntries(
      Object.entries({ kty, kid, alg, use, n, e, crv, x, y }).filter(([, value]) => value !== undefined),
    ) as unknown as PastedKey['jwk'];
    idp.pasted.push({
      jwk: publicJwk,
      thumbprint: await thumbprintOf(jwk),
      added_at: new Date(this.clock()).toISOString(),
    });
  }

  /** Persists a change made to an IdP through `get`. */
  changed(): Promise<void> {
    return this.tenant.changed();
  }

  /**
   * One sign-in through the connection: the tenant signs a client assertion with the current key, the IdP accepts
   * it or not, and the tenant logs `s` or `f`.
   */
  async signIn(connection: Connection): Promise<LogEvent> {
    const idp = await this.get(connection);
    const ring = await this.tenant.keyRing(connection.id);
    if (!ring) throw apiError(400, 'Keys have not been created for this connection.');
    const now = this.clock();
    const current = { kid: ring.current.kid, thumbprint: await thumbprintOf(ring.current.jwk) };
    const published = await Promise.all(
      [ring.current, ring.next, ...(ring.previous ? [ring.previous] : [])].map(
        async (key) => [key.jwk.kid, await thumbprintOf(key.jwk)] as const,
      ),
    );
    const verdict = judgeAssertion(idp, current, now, () => Object.fromEntries(published));
    this.signIns += 1;
    const n = (this.signIns % 40) + 1;
    const tokenEndpoint = String(connection.options.token_endpoint ?? '');
    const error = verdict.trusted ? undefined : ASSERTION_ERRORS[verdict.reason];
    const event = this.tenant.logs.append({
      type: verdict.trusted ? 's' : 'f',
      description: error ? `invalid_client: ${error}` : 'Successful login',
      connection: connection.name,
      connection_id: connection.id,
      strategy: connection.strategy,
      strategy_type: 'enterprise',
      ...this.tenant.seed.signInApp,
      user_id: `${connection.strategy}|${connection.name}|user${n}`,
      user_name: `user${n}@${connection.name}.example`,
      ip: `203.0.113.${n}`,
      user_agent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
      details: {
        request: { method: 'post', path: tokenEndpoint, client_assertion_kid: current.kid, idp_trust: idp.mode },
        response: verdict.trusted
          ? { statusCode: 200, body: { token_type: 'Bearer' } }
          : { statusCode: 401, body: { error: 'invalid_client', error_description: error } },
      },
    });
    await this.tenant.changed();
    return event;
  }

  /** One tick of the traffic ticker (`seconds` long): each connection signs in at its rate, fractions carried over. */
  async tick(seconds: number): Promise<void> {
    for (const [id, idp] of this.idps) {
      if (idp.signInsPerMinute <= 0) continue;
      const connection = this.tenant.connection(id);
      if (!connection || !this.tenant.hasKeys(id)) continue;
      let credit = (this.credit.get(id) ?? 0) + (idp.signInsPerMinute * seconds) / 60;
      for (; credit >= 1; credit -= 1) await this.signIn(connection);
      this.credit.set(id, credit);
    }
  }

  /** Sets every seeded connection with keys to `perMinute` sign-ins (the `--sign-in-rate` flag). */
  async setSeedRate(perMinute: number): Promise<void> {
    for (const seed of this.tenant.seed.connections) {
      const connection = this.tenant.connection(seed.id);
      if (!connection || !isKeyCapable(connection) || !this.tenant.hasKeys(seed.id)) continue;
      (await this.get(connection)).signInsPerMinute = perMinute;
    }
  }

  reset(): void {
    this.idps = new Map();
    this.credit = new Map();
  }

  snapshot(): Record<string, UpstreamIdp> {
    return Object.fromEntries(this.idps);
  }

  restore(saved: Record<string, UpstreamIdp> | undefined): void {
    for (const [id, idp] of Object.entries(saved ?? {})) if (this.tenant.connection(id)) this.idps.set(id, idp);
  }
}
