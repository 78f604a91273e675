import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, expect, test } from '@playwright/test';
import pg from 'pg';
import { E2E } from './env';
import { signIn } from './fixtures';

/**
 * Stacks a spec or a bench starts for itself, beside the suite's shared one: its own emulator, one or more app
 * instances of the same build, and (when asked) a fresh PostgreSQL database for the audit, which the spec can then
 * read while the apps run (PGlite admits one process). A spec's ports sit above the shared stack's, one slot per spec
 * file; scale.spec and the benches name theirs.
 */
export const ADMIN_DATABASE_URL = process.env.KEYSHIFT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const LOG_DIR = `${E2E.dataDir}-logs`;

export async function postgresReachable(): Promise<boolean> {
  if (!LOCAL_HOSTS.has(new URL(ADMIN_DATABASE_URL).hostname)) return false; // creates and drops databases: local only
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return (await client.query('select 1 as one')).rows[0]?.one === 1;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Says, where `npm test` prints it, that a PostgreSQL-only part did not run. */
export function noteSkippedForPostgres(what: string): void {
  const host = new URL(ADMIN_DATABASE_URL).host;
  mkdirSync('test-results', { recursive: true });
  appendFileSync('test-results/skipped.txt', `[SKIPPED: PostgreSQL not reachable at ${host}] ${what}\n`);
}

/** Skips the calling file's tests when PostgreSQL is down, and says so. */
export async function requirePostgres(what: string): Promise<void> {
  if (await postgresReachable()) return;
  noteSkippedForPostgres(what);
  test.skip(true, `PostgreSQL is not reachable at ${new URL(ADMIN_DATABASE_URL).host}: ${what} needs it`);
}

async function withAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A child process whose output is kept (the secrets scan reads it) and written to test-results/stack-logs. */
class Service {
  readonly output: string[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(
    readonly name: string,
    args: string[],
    env: NodeJS.ProcessEnv,
  ) {
    mkdirSync(LOG_DIR, { recursive: true });
    const logFile = path.join(LOG_DIR, `${name}.log`);
    writeFileSync(logFile, '');
    this.child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      this.output.push(text);
      appendFileSync(logFile, text);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async waitUntilServing(url: string, timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited before serving:\n${this.output.join('')}`);
      const ok = await fetch(url).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${this.name} did not serve ${url} within ${timeoutMs} ms:\n${this.output.join('')}`);
  }

  /** By this process's own pid: SIGTERM (or the given signal), then SIGKILL if it lingers. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.running) return;
    this.child.kill(signal);
    const late = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(late);
  }
}

export type StackOptions = (
  | {
      /** 0, 1, 2…: which block of ports above the shared stack's this stack uses (one per spec file). */
      slot: number;
      instances?: number;
    }
  | { ports: { app: number; emulator: number } }
) & {
  /** Generated connections on top of the seed (the emulator's `--connections`). */
  connections?: number;
  /** The emulator's bucket, `CAP:REFILL` (its `--rate-limit`). */
  rateLimit?: string;
  postgres?: boolean;
  appEnv?: Record<string, string>;
  /** Tell the apps they are served over https (NEXTAUTH_URL https://…), as in production; they still listen on http. */
  https?: boolean;
  /**
   * Two tenants from a tenants file instead of the single-tenant variables: `dev` (development, the emulator's extra
   * tenant dev-tenant.local on a port of its own) and `prod` (production, the primary demo-tenant.local).
   */
  tenants?: 'dev+prod';
};

/** The domain of the emulator's extra tenant in a `tenants: 'dev+prod'` stack. */
export const DEV_TENANT_DOMAIN = 'dev-tenant.local';

export interface SignedIn {
  cookie: string;
  storageState: string;
}

export type AuditRow = {
  id: number;
  type: string;
  request_id: string | null;
  connection_id: string | null;
  actor_email: string | null;
  status: number | null;
  error_code: string | null;
  message: string | null;
  new_kid: string | null;
  previous_kid: string | null;
  details: Record<string, unknown> | null;
};

export class Stack {
  readonly emulatorUrl: string;
  /** The extra tenant's origin (same emulator process) when the stack has `tenants: 'dev+prod'`. */
  readonly devEmulatorUrl: string | undefined;
  readonly appUrls: string[];
  /** A NEXTAUTH_SECRET of this stack alone, so a scan can look for it. */
  readonly secret = `keyshift-e2e-secret-${randomBytes(16).toString('hex')}`;
  readonly dataDir: string;
  /** Names this stack's processes and logs: `slot2`, or `port3210` for a stack on named ports. */
  private readonly name: string;
  databaseUrl: string | undefined;
  private databaseName: string | undefined;
  private emulator: Service | undefined;
  private apps: (Service | undefined)[] = [];
  /** Every app process ever started here, restarts included: their logs are the server's logs. */
  private started: Service[] = [];

  private constructor(private readonly options: StackOptions) {
    if ('ports' in options) {
      this.name = `port${options.ports.app}`;
      this.emulatorUrl = `http://127.0.0.1:${options.ports.emulator}`;
      this.appUrls = [`http://localhost:${options.ports.app}`];
      this.dataDir = `${E2E.dataDir}-${this.name}`;
      this.devEmulatorUrl = options.tenants ? `http://127.0.0.1:${options.ports.emulator + 1}` : undefined;
    } else {
      this.name = `slot${options.slot}`;
      // +30 and up: +20 is scale.spec's stack; app ports take three a slot (slot 7 ends at +53), emulators one.
      this.emulatorUrl = `http://127.0.0.1:${E2E.emulatorPort + 30 + options.slot}`;
      this.appUrls = Array.from(
        { length: options.instances ?? 1 },
        (_, i) => `http://localhost:${E2E.appPort + 30 + options.slot * 3 + i}`,
      );
      this.dataDir = `${E2E.dataDir}-stack${options.slot}`;
      // +60 and up: the extra tenants' ports, above every block of app and emulator ports.
      this.devEmulatorUrl = options.tenants ? `http://127.0.0.1:${E2E.emulatorPort + 60 + options.slot}` : undefined;
    }
  }

  /** The first app instance: the only one of a stack on named ports. */
  get appUrl(): string {
    return this.appUrls[0] as string;
  }

  static async start(options: StackOptions): Promise<Stack> {
    const stack = new Stack(options);
    try {
      await stack.boot();
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  private async boot(): Promise<void> {
    rmSync(this.dataDir, { recursive: true, force: true });
    mkdirSync(this.dataDir, { recursive: true });
    if (this.options.postgres) {
      this.databaseName = `keyshift_e2e_${randomBytes(6).toString('hex')}`;
      await withAdmin((client) => client.query(`create database ${this.databaseName}`));
      const url = new URL(ADMIN_DATABASE_URL);
      url.pathname = `/${this.databaseName}`;
      this.databaseUrl = url.toString();
    }
    const callbacks = this.appUrls.map((url) => `${url}/api/auth/callback/auth0`).join(',');
    const { EMULATOR_STATE: _state, EMULATOR_PORT: _port, EMULATOR_EXTRA_TENANTS: _extra, ...inherited } = process.env;
    const { connections, rateLimit } = this.options;
    const extraTenant = this.devEmulatorUrl
      ? ['--extra-tenant', `${DEV_TENANT_DOMAIN}@${new URL(this.devEmulatorUrl).port}`]
      : [];
    this.emulator = new Service(
      `${this.name}-emulator`,
      [
        '--import',
        'tsx',
        'emulator/main.ts',
        '--port',
        new URL(this.emulatorUrl).port,
        ...(connections === undefined ? [] : ['--connections', String(connections)]),
        ...(rateLimit === undefined ? [] : ['--rate-limit', rateLimit]),
        ...extraTenant,
      ],
      { ...inherited, OIDC_REDIRECT_URIS: callbacks },
    );
    await this.emulator.waitUntilServing(`${this.emulatorUrl}/.well-known/jwks.json`);
    if (this.devEmulatorUrl) {
      await this.emulator.waitUntilServing(`${this.devEmulatorUrl}/.well-known/jwks.json`);
      this.writeTenantsFile(this.devEmulatorUrl);
    }
    await Promise.all(this.appUrls.map((_, index) => this.startApp(index)));
  }

  private get tenantsFile(): string {
    return path.resolve(this.dataDir, 'tenants.json');
  }

  /** dev on the extra tenant, prod on the primary; credentials named by variables that appEnv sets. */
  private writeTenantsFile(devEmulatorUrl: string): void {
    const tenants = [
      {
        slug: 'dev',
        name: 'Acme development',
        environment: 'development',
        domain: DEV_TENANT_DOMAIN,
        apiOrigin: devEmulatorUrl,
        credentials: { clientIdEnv: 'E2E_DEV_CLIENT_ID', clientSecretEnv: 'E2E_DEV_CLIENT_SECRET' },
      },
      {
        slug: 'prod',
        name: 'Acme production',
        environment: 'production',
        domain: 'demo-tenant.local',
        apiOrigin: this.emulatorUrl,
        credentials: { clientIdEnv: 'E2E_PROD_CLIENT_ID', clientSecretEnv: 'E2E_PROD_CLIENT_SECRET' },
      },
    ];
    writeFileSync(this.tenantsFile, JSON.stringify({ tenants }, null, 2));
  }

  appEnv(index: number): NodeJS.ProcessEnv {
    const {
      DATABASE_URL: _ignored,
      KEYSHIFT_TENANTS_FILE: _file,
      AUTH0_DOMAIN: _domain,
      AUTH0_API_ORIGIN: _origin,
      ...inherited
    } = process.env;
    const tenants = this.options.tenants
      ? {
          KEYSHIFT_TENANTS_FILE: this.tenantsFile,
          E2E_DEV_CLIENT_ID: 'demo-dev-m2m',
          E2E_DEV_CLIENT_SECRET: 'demo-dev-m2m-secret',
          E2E_PROD_CLIENT_ID: 'demo-m2m',
          E2E_PROD_CLIENT_SECRET: 'demo-m2m-secret',
        }
      : { AUTH0_API_ORIGIN: this.emulatorUrl };
    return {
      ...inherited,
      NEXT_TELEMETRY_DISABLED: '1',
      KEYSHIFT_DEMO: '1',
      ...tenants,
      AUTH_ISSUER: this.emulatorUrl,
      NEXTAUTH_URL: this.options.https ? this.appUrls[index]?.replace(/^http:/, 'https:') : this.appUrls[index],
      NEXTAUTH_SECRET: this.secret,
      KEYSHIFT_DATA_DIR: path.join(this.dataDir, `app${index}`),
      ...(this.databaseUrl ? { DATABASE_URL: this.databaseUrl } : {}),
      ...this.options.appEnv,
    };
  }

  async startApp(index: number): Promise<void> {
    const url = this.appUrls[index] as string;
    const name = `${this.name}-app${index}-start${this.started.length + 1}`;
    const service = new Service(
      name,
      ['node_modules/next/dist/bin/next', 'start', '--port', new URL(url).port],
      this.appEnv(index),
    );
    this.apps[index] = service;
    this.started.push(service);
    await service.waitUntilServing(`${url}/api/health`);
  }

  /** SIGTERM, as a container stop or a deploy sends it: Next.js and Keyshift's shutdown hooks run. */
  async stopApp(index: number): Promise<void> {
    await this.apps[index]?.stop('SIGTERM');
  }

  /** SIGKILL: no shutdown hooks, no outcome written, the database session cut — as a crash or an OOM kill. */
  async killApp(index: number): Promise<void> {
    await this.apps[index]?.stop('SIGKILL');
  }

  /** Everything the app processes printed, from every start. */
  serverLogs(): string {
    return this.started.flatMap((service) => service.output).join('');
  }

  async stop(): Promise<void> {
    await Promise.all(this.apps.map((service) => service?.stop()));
    await this.emulator?.stop();
    if (this.databaseName) {
      const name = this.databaseName;
      await withAdmin((client) => client.query(`drop database if exists ${name} with (force)`)).catch(() => {});
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  // The emulator's admin API.

  /** `emulatorUrl`: which tenant's controls (devEmulatorUrl for the extra tenant); the primary's by default. */
  async admin(method: string, pathname: string, body?: unknown, emulatorUrl = this.emulatorUrl): Promise<unknown> {
    const response = await fetch(`${emulatorUrl}/__emulator${pathname}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.status, `${method} /__emulator${pathname}`).toBeLessThan(300);
    return response.status === 204 ? undefined : response.json();
  }

  fault(fault: Record<string, unknown>): Promise<unknown> {
    return this.admin('POST', '/faults', fault);
  }

  async calls(
    emulatorUrl = this.emulatorUrl,
  ): Promise<
    Record<string, number> & { rotations: Record<string, number>; max_concurrent_rotations: Record<string, number> }
  > {
    return (await this.admin('GET', '/calls', undefined, emulatorUrl)) as never;
  }

  /** Management API and token calls since the counters were last cleared. */
  async upstreamCalls(): Promise<number> {
    const counts = (await this.calls()) as Record<string, unknown>;
    return Object.entries(counts)
      .filter(([route]) => route.includes('/api/v2/') || route.startsWith('POST /oauth/token'))
      .reduce((sum, [, count]) => sum + (typeof count === 'number' ? count : 0), 0);
  }

  // Signing in through the emulator's login page, as an operator would.

  async signIn(browser: Browser, email: string, instance = 0): Promise<SignedIn> {
    const appUrl = this.appUrls[instance] as string;
    const context = await browser.newContext();
    try {
      await signIn(await context.newPage(), email, '/', appUrl);
      const storageState = path.join(this.dataDir, `${email}.json`);
      const state = await context.storageState({ path: storageState });
      const cookie = state.cookies
        .filter((item) => item.domain === 'localhost' && item.name.includes('next-auth'))
        .map((item) => `${item.name}=${item.value}`)
        .join('; ');
      return { cookie, storageState };
    } finally {
      await context.close();
    }
  }

  // The audit, read straight from PostgreSQL while the apps run.

  async sql<T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
    if (!this.databaseUrl) throw new Error('this stack keeps its audit in PGlite; start it with postgres: true');
    const client = new pg.Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      return (await client.query(query, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  async lastAuditId(): Promise<number> {
    const [row] = await this.sql<{ id: string | null }>('select max(id) as id from audit_events');
    return Number(row?.id ?? 0);
  }

  /** Events after `afterId`, oldest first, optionally of one connection. */
  auditEvents(afterId: number, connectionId?: string): Promise<AuditRow[]> {
    return this.sql<AuditRow>(
      `select id::int, type, request_id, connection_id, actor_email, status, error_code, message, new_kid,
              previous_kid, details
         from audit_events where id > $1 and ($2::text is null or connection_id = $2) order by id`,
      [afterId, connectionId ?? null],
    );
  }

  /** The repository's own verifier (scripts/audit-verify.ts) on this stack's database (PGlite: app 0's). */
  async verifyAudit(): Promise<{ code: number | null; output: string }> {
    const { DATABASE_URL: _ignored, ...inherited } = process.env;
    const verifier = new Service(
      `${this.name}-audit-verify`,
      ['--import', 'tsx', 'scripts/audit-verify.ts'],
      this.databaseUrl
        ? { ...inherited, DATABASE_URL: this.databaseUrl }
        : { ...inherited, KEYSHIFT_DATA_DIR: path.join(this.dataDir, 'app0') },
    );
    const code = await verifier.exited;
    return { code, output: verifier.output.join('') };
  }
}

/** Polls until `check` returns a value that is not undefined. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
