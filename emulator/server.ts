import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessTokens, createTokenSigningKey } from './access-tokens';
import { handleAdmin } from './admin';
import { CallCounter, FaultBook } from './faults';
import { apiError, HttpError } from './http';
import { handleIdpAdmin } from './idp-admin';
import { handleIdpPage } from './idp-page';
import { setKeyPool } from './key-material';
import { isManagementPath, serveRoute, writeReply } from './pipeline';
import { DEFAULT_RATE_LIMIT, type RateLimitConfig, TokenBucket } from './rate-limit';
import { matchRoute, type Route, routeKey, type Services } from './router';
import { createKeysRoute, getKeysRoute, rotateKeysRoute } from './routes/connection-keys';
import { getConnectionRoute, listConnectionsRoute } from './routes/connections';
import { connectionJwksRoute, tenantJwksRoute } from './routes/jwks';
import { getLogRoute, listLogsRoute } from './routes/logs';
import { oauthTokenRoute } from './routes/oauth-token';
import { DEMO_KEY_AGES } from './seed';
import { readStateFile, StateWriter } from './state-file';
import { TENANT_DOMAIN, tenantIdentity } from './tenant';
import { tenantSeed } from './tenant-seed';
import { TenantStore } from './tenant-store';
import { type Clock, UpstreamIdps } from './upstream-idps';

/** Runs `tick` every `ms`; returns a stop function. Tests inject one they step by hand (and await the tick). */
export type Ticker = (ms: number, tick: () => Promise<void>) => () => void;

const intervalTicker: Ticker = (ms, tick) => {
  const timer = setInterval(() => void tick(), ms);
  timer.unref();
  return () => clearInterval(timer);
};

/** The sign-in traffic ticks once a second. */
export const TRAFFIC_TICK_SECONDS = 1;

export interface EmulatorOptions {
  /**
   * The tenant served: `demo-tenant.local` (default) gets the demo seed; any other domain the extra-tenant seed
   * (tenant-seed.ts). Token issuer and audience, log hostnames and the IdP pages name this domain.
   */
  domain?: string;
  /** 0 = a random free port. Default 0. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Generated connections added to the demo seed (the large tenant). Default 0. */
  connections?: number;
  /** JSON file the tenant is loaded from and saved to after every change. */
  stateFile?: string;
  rateLimit?: RateLimitConfig;
  /** Receives every request no emulator route matches (outside /api/v2 and /__emulator), e.g. an OIDC issuer. */
  fallback?: (req: IncomingMessage, res: ServerResponse) => void;
  /** Serve `/__emulator/*` (test controls). Default true. */
  admin?: boolean;
  /** Allow reading and provisioning keys before a connection uses Private Key JWT (see connection-keys.ts). */
  keysBeforePrivateKeyJwt?: boolean;
  /** The emulator's clock in ms (log dates, the IdPs' JWKS caches). Default Date.now. */
  clock?: Clock;
  /** Drives the simulated sign-in traffic. Default: a real one-second interval. */
  ticker?: Ticker;
  /** Simulated sign-ins per minute through each demo connection that has keys. Default 0 (no traffic). */
  signInRate?: number;
  /** Benchmarks only: draw key pairs from this many per algorithm (kids repeat across connections). Default off. */
  keyPool?: number;
  /** The demo: some seeded keys made long ago (DEMO_KEY_AGES), so the fleet has keys due and overdue. Default off. */
  agedKeys?: boolean;
}

export interface RunningEmulator {
  domain: string;
  url: string;
  port: number;
  close(): Promise<void>;
}

export const ROUTES: readonly Route[] = [
  oauthTokenRoute,
  tenantJwksRoute,
  connectionJwksRoute,
  listConnectionsRoute,
  getConnectionRoute,
  getKeysRoute,
  createKeysRoute,
  rotateKeysRoute,
  listLogsRoute,
  getLogRoute,
];

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  setKeyPool(options.keyPool ?? 0);
  const domain = options.domain ?? TENANT_DOMAIN;
  const identity = tenantIdentity(domain);
  const saved = options.stateFile ? readStateFile(options.stateFile, domain) : undefined;
  const tokenSigningKey = saved?.tokenSigningKey ?? (await createTokenSigningKey(domain));
  let writer: StateWriter | undefined;
  const clock = options.clock ?? Date.now;
  const seed = tenantSeed(domain);
  const tenant = new TenantStore(seed, options.connections ?? 0, async () => writer?.save(), clock);
  if (options.agedKeys) tenant.keyAges = DEMO_KEY_AGES;
  if (saved) tenant.restore(saved);
  const idps = new UpstreamIdps(tenant, clock);
  idps.restore(saved?.idps);
  if (options.signInRate) await idps.setSeedRate(options.signInRate);
  const tokens = await AccessTokens.from(identity, tokenSigningKey);
  if (options.stateFile) {
    writer = new StateWriter(options.stateFile, () => ({
      version: 1,
      domain,
      tokenSigningKey,
      ...tenant.snapshot(),
      idps: idps.snapshot(),
    }));
    await writer.save();
  }

  const services: Services = {
    identity,
    tenant,
    tokens,
    clients: new Map(seed.clients.map((client) => [client.client_id, client])),
    bucket: new TokenBucket(rateLimit),
    calls: new CallCounter(),
    faults: new FaultBook(),
    options: { keysBeforePrivateKeyJwt: options.keysBeforePrivateKeyJwt ?? false },
  };
  const routeKeys = ROUTES.map(routeKey);
  const adminHooks = {
    routeKeys,
    async reset() {
      tenant.reset();
      idps.reset();
      if (options.signInRate) await idps.setSeedRate(options.signInRate);
      services.faults.clear();
      services.calls.reset();
      services.bucket.configure(rateLimit);
      await writer?.save();
    },
  };

  // A tick still running (a slow disk) makes the next one a no-op rather than a second writer.
  let ticking: Promise<void> | undefined;
  const stopTraffic = (options.ticker ?? intervalTicker)(TRAFFIC_TICK_SECONDS * 1000, () => {
    ticking ??= idps
      .tick(TRAFFIC_TICK_SECONDS)
      .catch((error: unknown) => console.error('[emulator] sign-in traffic', error))
      .finally(() => {
        ticking = undefined;
      });
    return ticking;
  });
  const now = () => new Date(clock());

  const lifetime = new AbortController();
  const held = new Set<NodeJS.Timeout>();
  const faultEnvironment = {
    signal: lifetime.signal,
    hold(ms: number, res: ServerResponse) {
      const timer = setTimeout(() => {
        held.delete(timer);
        res.socket?.destroy();
      }, ms);
      held.add(timer);
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    if (url.pathname.startsWith('/__emulator/') && options.admin !== false) {
      const reply = await handleIdpAdmin(req, url.pathname, tenant, idps, now);
      writeReply(res, reply ?? (await handleAdmin(req, url.pathname, services, adminHooks)));
      return;
    }
    if (await handleIdpPage(req, res, url, tenant, idps, now)) return;
    const match = matchRoute(ROUTES, req.method ?? 'GET', url.pathname);
    if (!match) {
      if (options.fallback && !isManagementPath(url.pathname)) return options.fallback(req, res);
      const headers = isManagementPath(url.pathname) ? services.bucket.peek() : {};
      writeReply(res, { status: 404, headers, body: { statusCode: 404, error: 'Not Found', message: 'Not Found' } });
      return;
    }
    const key = routeKey(match.route);
    services.calls.count(key);
    if (match.route !== rotateKeysRoute) {
      await serveRoute(match, services.faults.take(key), req, res, url, services, faultEnvironment);
      return;
    }
    // In flight until the handler is done (a latency fault still rotates after the client gave up) and the
    // response is closed (a hang fault holds the socket after the handler returned).
    const ended = services.calls.rotateStarted(match.params.id ?? '');
    const closed = new Promise<void>((resolve) => res.once('close', resolve));
    try {
      await serveRoute(match, services.faults.take(key), req, res, url, services, faultEnvironment);
    } finally {
      void closed.then(ended);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const reply = error instanceof HttpError ? error.reply : apiError(500, 'An internal server error occurred').reply;
      if (!(error instanceof HttpError)) console.error('[emulator]', error);
      if (res.headersSent) res.destroy();
      else writeReply(res, reply);
    });
  });
  // Longer than any client keeps an idle connection (undici: 4 s, or the server's hint less 1 s): the client always
  // retires a kept-alive socket first, so a client whose event loop stalled for seconds (a test process opening its
  // embedded database) never reuses one the server has just closed, which would surface as ECONNRESET.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  return {
    domain,
    url: `http://${urlHost}:${port}`,
    port,
    async close() {
      stopTraffic();
      lifetime.abort();
      for (const timer of held) clearTimeout(timer);
      held.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await writer?.save();
    },
  };
}
