import 'server-only';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEMO_TENANT, EMULATOR_ORIGIN, isDemo } from './defaults';
import {
  DEFAULT_DEV_FIRST_DAYS,
  DEFAULT_ROTATION_PERIOD_DAYS,
  ENVIRONMENTS,
  MAX_ROTATION_PERIOD_DAYS,
  parseTenantsFile,
  slugFromDomain,
  slugSchema,
  type TenantConfig,
  TenantsConfigError,
} from './tenants/config';

/**
 * The environment, validated once. Demo mode (`KEYSHIFT_DEMO=1`, set by `npm run demo` and the tests) fills in the
 * emulator's tenant and login (and, on loopback only, a public session secret); outside it every required variable
 * must be set, and a missing one stops the server with a message naming all of them at once.
 */
export { DEMO_TENANT, EMULATOR_ORIGIN };

const csv = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim().toLowerCase())
      .filter(Boolean),
  );
const optional = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));
const origin = optional.pipe(z.url({ protocol: /^https?$/ }).optional());
const postgresUrl = optional.pipe(
  z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres://')
    .optional(),
);

const rawSchema = z.object({
  KEYSHIFT_DEMO: optional,
  NODE_ENV: optional,
  AUTH0_DOMAIN: optional,
  AUTH0_CLIENT_ID: optional,
  AUTH0_CLIENT_SECRET: optional,
  AUTH0_MANAGEMENT_TOKEN: optional,
  AUTH0_API_ORIGIN: origin,
  AUTH0_TIMEOUT_SECONDS: optional.pipe(
    z.coerce
      .number<string | undefined>()
      .int('must be a whole number of seconds')
      .min(1, 'must be at least 1 second')
      .max(120, 'must be at most 120 seconds')
      .optional(),
  ),
  TRUSTED_PROXY_HOPS: optional.pipe(
    z.coerce
      .number<string | undefined>()
      .int('must be a whole number of proxies')
      .min(0, 'must be 0 (no proxy) or more')
      .max(10, 'must be at most 10')
      .optional(),
  ),
  AUTH_ISSUER: origin,
  AUTH_CLIENT_ID: optional,
  AUTH_CLIENT_SECRET: optional,
  AUTH_ROLES_CLAIM: optional,
  AUTH_ROTATOR_EMAILS: csv,
  AUTH_VIEWER_EMAILS: csv,
  NEXTAUTH_URL: origin,
  NEXTAUTH_SECRET: optional,
  DATABASE_URL: postgresUrl,
  DATABASE_MIGRATION_URL: postgresUrl,
  KEYSHIFT_DATA_DIR: optional,
  KEYSHIFT_AUDIT_CHECKPOINT_EVERY: optional.pipe(
    z.coerce.number<string | undefined>().int('must be a whole number').min(1).max(1_000_000).optional(),
  ),
  KEYSHIFT_READ_RATE_LIMIT: optional.pipe(
    z
      .string()
      .regex(/^\d+:\d+(\.\d+)?$/, 'must be burst:perSecond, such as 60:5')
      .transform((value) => {
        const [burst, perSecond] = value.split(':').map(Number);
        return { burst: burst as number, perSecond: perSecond as number };
      })
      .refine((limit) => limit.burst >= 1 && limit.perSecond > 0, 'needs a burst of at least 1 and a positive rate')
      .optional(),
  ),
  KEYSHIFT_SETTLE_INTERVAL_SECONDS: optional.pipe(
    z.coerce
      .number<string | undefined>()
      .int('must be a whole number of seconds')
      .min(5, 'must be at least 5 seconds')
      .max(86_400, 'must be at most a day')
      .optional(),
  ),
  KEYSHIFT_TENANTS_FILE: optional,
  KEYSHIFT_TENANT_SLUG: optional,
  KEYSHIFT_TENANT_NAME: optional.pipe(z.string().max(80, 'must be at most 80 characters').optional()),
  KEYSHIFT_TENANT_ENVIRONMENT: optional.pipe(
    z.enum(ENVIRONMENTS, { error: 'must be development, staging or production' }).optional(),
  ),
  KEYSHIFT_DEV_FIRST_DAYS: optional.pipe(
    z.coerce
      .number<string | undefined>()
      .int('must be a whole number of days')
      .min(1, 'must be at least 1 day')
      .max(365, 'must be at most 365 days')
      .optional(),
  ),
  KEYSHIFT_ROTATION_PERIOD_DAYS: optional.pipe(
    z.coerce
      .number<string | undefined>()
      .int('must be a whole number of days')
      .min(1, 'must be at least 1 day')
      .max(MAX_ROTATION_PERIOD_DAYS, `must be at most ${MAX_ROTATION_PERIOD_DAYS} days`)
      .optional(),
  ),
  NOTIFY_WEBHOOK_URLS: optional,
  NOTIFY_WEBHOOK_SECRET: optional.pipe(
    z
      .string()
      .regex(
        /^whsec_[A-Za-z0-9+/]{24,}={0,2}$/,
        'must be a Standard Webhooks secret: whsec_ and base64 of 24 bytes or more',
      )
      .optional(),
  ),
  NOTIFY_SLACK_WEBHOOK_URL: optional.pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional()),
  SMTP_URL: optional.pipe(
    z
      .string()
      .regex(/^smtps?:\/\/[^\s]+$/, 'must be smtp://[user:password@]host[:port] or smtps://…')
      .optional(),
  ),
  NOTIFY_EMAIL_TO: optional,
  NOTIFY_EMAIL_FROM: optional,
  METRICS_TOKEN: optional.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  KEYSHIFT_INVENTORY: optional.pipe(z.enum(['on', 'off'], { error: 'must be on or off' }).optional()),
  KEYSHIFT_INVENTORY_SHARE: optional.pipe(
    z.coerce
      .number<string | undefined>()
      .gt(0, 'must be more than 0')
      .lt(1, 'must be less than 1 (the rest is kept for operators)')
      .optional(),
  ),
  KEYSHIFT_INVENTORY_SWEEP_HOURS: optional.pipe(
    z.coerce
      .number<string | undefined>()
      .min(1, 'must be at least 1 hour')
      .max(24 * 30, 'must be at most 30 days')
      .optional(),
  ),
  KEYSHIFT_CAMPAIGN_SHARE: optional.pipe(
    z.coerce
      .number<string | undefined>()
      .gt(0, 'must be more than 0')
      .lt(1, 'must be less than 1 (the rest is kept for operators)')
      .optional(),
  ),
  KEYSHIFT_JOB_EXPIRE_SECONDS: optional.pipe(
    z.coerce
      .number<string | undefined>()
      .int('must be a whole number of seconds')
      .min(5, 'must be at least 5 seconds')
      .max(3600, 'must be at most 3600 seconds')
      .optional(),
  ),
  KEYSHIFT_JOB_MAINTENANCE_SECONDS: optional.pipe(
    z.coerce
      .number<string | undefined>()
      .int('must be a whole number of seconds')
      .min(1, 'must be at least 1 second')
      .max(600, 'must be at most 600 seconds')
      .optional(),
  ),
  KEYSHIFT_WATCH_MINUTES: optional.pipe(
    z.coerce
      .number<string | undefined>()
      .int('must be a whole number of minutes')
      .min(1, 'must be at least 1 minute')
      .max(1440, 'must be at most a day')
      .optional(),
  ),
});

export const DEFAULT_AUTH0_TIMEOUT_SECONDS = 15;
export const DEFAULT_SETTLE_INTERVAL_SECONDS = 60;
export const DEFAULT_WATCH_MINUTES = 15;
/**
 * Each user's Auth0 reads: two screenfuls of key lookups at once (a page load and a reload, MAX_KEY_SUMMARIES each),
 * then ten a second; the tenant's own limit is tens a second, so one user leaves the rest to the others and to rotations.
 */
export const DEFAULT_READ_RATE_LIMIT = { burst: 120, perSecond: 10 };

/**
 * Where the audit trail lives: PostgreSQL at `databaseUrl`, else PGlite under `dataDir`. `migrationUrl`: the same
 * database as a role that may change its schema, so that the app's own role needs no DDL (lib/audit/README.md).
 */
export interface DatabaseConfig {
  databaseUrl: string | undefined;
  migrationUrl: string | undefined;
  dataDir: string;
}

const databaseSchema = rawSchema
  .pick({ DATABASE_URL: true, DATABASE_MIGRATION_URL: true, KEYSHIFT_DATA_DIR: true })
  .refine((raw) => !raw.DATABASE_MIGRATION_URL || raw.DATABASE_URL, {
    path: ['DATABASE_MIGRATION_URL'],
    message: 'DATABASE_MIGRATION_URL is set but DATABASE_URL is not (it migrates the PostgreSQL the app uses)',
  });

function databaseSettings(raw: z.output<typeof databaseSchema>): DatabaseConfig {
  return {
    databaseUrl: raw.DATABASE_URL,
    migrationUrl: raw.DATABASE_MIGRATION_URL,
    dataDir: raw.KEYSHIFT_DATA_DIR ?? './data',
  };
}

export type Config = ReturnType<typeof buildConfig>;

/** The public, fixed secret demo sessions are signed with; see `demoSecretAllowed`. */
const DEMO_NEXTAUTH_SECRET = 'keyshift-demo-secret-not-for-production-use';
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function onLoopback(url: string | undefined): boolean {
  if (!url) return false;
  try {
    return LOOPBACK_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

/**
 * Anyone can read the demo secret, and with it forge a session. It is used only where a forged session can reach
 * nothing real: demo mode, the dashboard on this machine's loopback, and Auth0 being the emulator's own tenant reached
 * on loopback (so not a real tenant's keys).
 */
function demoSecretAllowed(demo: boolean, nextAuthUrl: string | undefined, tenants: TenantConfig[]): boolean {
  return (
    demo &&
    onLoopback(nextAuthUrl) &&
    tenants.length > 0 &&
    tenants.every((tenant) => tenant.domain.endsWith('.local') && onLoopback(tenant.apiOrigin))
  );
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Keyshift cannot start: its configuration is incomplete.\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The tenants file's tenants, or a ConfigError whose every line names the file, the entry and the field. */
function tenantsFromFile(
  path: string,
  env: Record<string, string | undefined>,
  readFile: (path: string) => string,
): { tenants: TenantConfig[]; devFirstDays: number | undefined; rotationPeriodDays: number | undefined } {
  const where = `KEYSHIFT_TENANTS_FILE (${path})`;
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new ConfigError([
      `${where} cannot be read${code === 'ENOENT' ? ': there is no such file' : ` (${code ?? String(error)})`}`,
    ]);
  }
  try {
    return parseTenantsFile(path, text, env);
  } catch (error) {
    if (error instanceof TenantsConfigError)
      throw new ConfigError(error.problems.map((problem) => `${where}: ${problem}`));
    throw error;
  }
}

type AllowList = { all: string[]; bySlug: Record<string, string[]> };

/** `alice@example.com` everywhere, `dave@example.com:dev` in one tenant; a slug no tenant has is a mistake. */
function allowList(name: string, entries: string[], slugs: Set<string>, problems: string[]): AllowList {
  const list: AllowList = { all: [], bySlug: {} };
  for (const entry of entries) {
    const colon = entry.lastIndexOf(':');
    if (colon < 0) {
      list.all.push(entry);
      continue;
    }
    const email = entry.slice(0, colon);
    const slug = entry.slice(colon + 1);
    if (!email || !slugs.has(slug)) {
      problems.push(`${name}: "${entry}" names no configured tenant (${[...slugs].join(', ')})`);
      continue;
    }
    list.bySlug[slug] = [...(list.bySlug[slug] ?? []), email];
  }
  return list;
}

const EMAIL = /^[^\s@<>,]+@[^\s@<>,]+$/;

/** The alert channels from their variables; a problem is named without ever repeating a URL or a secret. */
function notifySettings(
  raw: {
    NOTIFY_WEBHOOK_URLS?: string;
    NOTIFY_WEBHOOK_SECRET?: string;
    NOTIFY_SLACK_WEBHOOK_URL?: string;
    SMTP_URL?: string;
    NOTIFY_EMAIL_TO?: string;
    NOTIFY_EMAIL_FROM?: string;
  },
  problems: string[],
) {
  const webhookUrls = (raw.NOTIFY_WEBHOOK_URLS ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
  webhookUrls.forEach((url, index) => {
    if (!z.url({ protocol: /^https?$/ }).safeParse(url).success) {
      problems.push(`NOTIFY_WEBHOOK_URLS: entry ${index + 1} is not an http(s) URL`);
    }
  });
  if (webhookUrls.length > 0 && !raw.NOTIFY_WEBHOOK_SECRET) {
    problems.push('NOTIFY_WEBHOOK_SECRET is not set (webhooks are signed with it; a whsec_… secret)');
  }
  const emailTo = (raw.NOTIFY_EMAIL_TO ?? '')
    .split(',')
    .map((address) => address.trim())
    .filter(Boolean);
  emailTo.forEach((address, index) => {
    if (!EMAIL.test(address)) problems.push(`NOTIFY_EMAIL_TO: entry ${index + 1} is not an email address`);
  });
  if (raw.SMTP_URL && emailTo.length === 0) {
    problems.push('NOTIFY_EMAIL_TO is not set (who the alerts sent through SMTP_URL go to)');
  }
  if (raw.NOTIFY_EMAIL_FROM && !EMAIL.test(raw.NOTIFY_EMAIL_FROM.replace(/^.*<(.+)>$/, '$1'))) {
    problems.push('NOTIFY_EMAIL_FROM is not an email address (or "Name <address>")');
  }
  return {
    webhookUrls,
    webhookSecret: raw.NOTIFY_WEBHOOK_SECRET,
    slackUrl: raw.NOTIFY_SLACK_WEBHOOK_URL,
    smtpUrl: raw.SMTP_URL,
    emailTo,
    emailFrom: raw.NOTIFY_EMAIL_FROM ?? 'Keyshift <keyshift@localhost>',
  };
}

export function buildConfig(
  env: Record<string, string | undefined>,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
) {
  const parsed = rawSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const raw = parsed.data;
  const database = databaseSchema.safeParse(raw);
  if (!database.success) {
    throw new ConfigError(database.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const demo = isDemo(env);
  const fallback = <T>(value: T | undefined, demoValue: T) => value ?? (demo ? demoValue : undefined);

  const fromFile = raw.KEYSHIFT_TENANTS_FILE ? tenantsFromFile(raw.KEYSHIFT_TENANTS_FILE, env, readFile) : null;
  if (fromFile && (raw.AUTH0_DOMAIN || raw.AUTH0_API_ORIGIN)) {
    throw new ConfigError([
      'KEYSHIFT_TENANTS_FILE and AUTH0_DOMAIN/AUTH0_API_ORIGIN are both set: list every tenant in the file, or unset KEYSHIFT_TENANTS_FILE for one tenant',
    ]);
  }
  const first = fromFile?.tenants[0];
  const domain = first ? first.domain : fallback(raw.AUTH0_DOMAIN, DEMO_TENANT);
  const apiOrigin = first
    ? first.apiOrigin
    : (raw.AUTH0_API_ORIGIN ?? (demo && !raw.AUTH0_DOMAIN ? EMULATOR_ORIGIN : undefined));
  const nextAuthUrl = fallback(raw.NEXTAUTH_URL, 'http://localhost:3000');
  const clientId = first
    ? first.clientId
    : raw.AUTH0_MANAGEMENT_TOKEN
      ? raw.AUTH0_CLIENT_ID
      : fallback(raw.AUTH0_CLIENT_ID, 'demo-m2m');
  const clientSecret = first
    ? first.clientSecret
    : raw.AUTH0_MANAGEMENT_TOKEN
      ? raw.AUTH0_CLIENT_SECRET
      : fallback(raw.AUTH0_CLIENT_SECRET, 'demo-m2m-secret');
  const managementToken = first ? first.managementToken : raw.AUTH0_MANAGEMENT_TOKEN;
  const problems: string[] = [];
  const slug = raw.KEYSHIFT_TENANT_SLUG ?? (domain ? slugFromDomain(domain) : 'tenant');
  if (!fromFile && !slugSchema.safeParse(slug).success) {
    problems.push(`KEYSHIFT_TENANT_SLUG "${slug}" ${slugSchema.safeParse(slug).error?.issues[0]?.message}`);
  }
  // Without a file, the single-tenant variables are a one-entry list: marked production unless said otherwise.
  const tenants: TenantConfig[] =
    fromFile?.tenants ??
    (domain
      ? [
          {
            slug,
            name: raw.KEYSHIFT_TENANT_NAME ?? domain,
            environment: raw.KEYSHIFT_TENANT_ENVIRONMENT ?? 'production',
            domain,
            apiOrigin,
            clientId,
            clientSecret,
            managementToken,
          },
        ]
      : []);
  const slugs = new Set(tenants.map((tenant) => tenant.slug));

  const config = {
    demo,
    auth0: {
      domain,
      apiOrigin,
      clientId,
      clientSecret,
      managementToken,
      /** How long one Auth0 call may take before Keyshift gives up on it (and settles a rotation by reading back). */
      timeoutSeconds: raw.AUTH0_TIMEOUT_SECONDS ?? DEFAULT_AUTH0_TIMEOUT_SECONDS,
      /** Each user's budget of Auth0 reads (KEYSHIFT_READ_RATE_LIMIT, burst:perSecond): keep it below the tenant's. */
      readRateLimit: raw.KEYSHIFT_READ_RATE_LIMIT ?? DEFAULT_READ_RATE_LIMIT,
    },
    auth: {
      issuer: fallback(raw.AUTH_ISSUER, EMULATOR_ORIGIN),
      clientId: fallback(raw.AUTH_CLIENT_ID, 'keyshift-dashboard'),
      clientSecret: fallback(raw.AUTH_CLIENT_SECRET, 'keyshift-dashboard-secret'),
      rolesClaim: raw.AUTH_ROLES_CLAIM ?? 'https://keyshift.dev/roles',
      rotatorEmails: raw.AUTH_ROTATOR_EMAILS,
      viewerEmails: raw.AUTH_VIEWER_EMAILS,
      allowLists: {
        rotator: allowList('AUTH_ROTATOR_EMAILS', raw.AUTH_ROTATOR_EMAILS, slugs, problems),
        viewer: allowList('AUTH_VIEWER_EMAILS', raw.AUTH_VIEWER_EMAILS, slugs, problems),
      },
    },
    nextAuth: {
      url: nextAuthUrl,
      secret: raw.NEXTAUTH_SECRET ?? (demoSecretAllowed(demo, nextAuthUrl, tenants) ? DEMO_NEXTAUTH_SECRET : undefined),
    },
    /** How many proxies in front of Keyshift append to X-Forwarded-For; see requestInfoFrom. */
    trustedProxyHops: raw.TRUSTED_PROXY_HOPS ?? 0,
    ...databaseSettings(database.data),
    /** The server logs the audit chain's head every this many appends (lib/audit/checkpoint.ts). */
    auditCheckpointEvery: raw.KEYSHIFT_AUDIT_CHECKPOINT_EVERY ?? 100,
    /** How often rotations left without an outcome (a process died mid-rotation) are looked for and settled. */
    settleIntervalSeconds: raw.KEYSHIFT_SETTLE_INTERVAL_SECONDS ?? DEFAULT_SETTLE_INTERVAL_SECONDS,
    /** How long after a rotation Keyshift watches the connection's sign-ins (lib/watch). */
    watchMinutes: raw.KEYSHIFT_WATCH_MINUTES ?? DEFAULT_WATCH_MINUTES,
    /** Every tenant this Keyshift serves, in the order the file lists them (lib/tenants). */
    tenants,
    /** How recent a rotation in a non-production tenant must be for the production rotate dialog to keep quiet. */
    devFirstDays: fromFile?.devFirstDays ?? raw.KEYSHIFT_DEV_FIRST_DAYS ?? DEFAULT_DEV_FIRST_DAYS,
    /** The rotation period of a tenant whose entry sets none and whose rotators set none (lib/fleet). */
    rotationPeriodDays:
      fromFile?.rotationPeriodDays ?? raw.KEYSHIFT_ROTATION_PERIOD_DAYS ?? DEFAULT_ROTATION_PERIOD_DAYS,
    /** Where alerts go (lib/notify); each channel is off while its variables are unset. */
    notify: notifySettings(raw, problems),
    /** The bearer token /metrics asks for; unset: /metrics is off (404). */
    metricsToken: raw.METRICS_TOKEN,
    /** The key inventory (lib/fleet): on unless turned off, its share of each tenant's rate limit, its sweep. */
    inventory: {
      enabled: raw.KEYSHIFT_INVENTORY !== 'off',
      share: raw.KEYSHIFT_INVENTORY_SHARE ?? 0.5,
      sweepHours: raw.KEYSHIFT_INVENTORY_SWEEP_HOURS ?? 24,
    },
    /**
     * Campaigns (lib/campaigns): their share of each tenant's rate limit; how long a job's runner may go silent before
     * another instance takes the job over, and how often that is looked for.
     */
    campaigns: {
      share: raw.KEYSHIFT_CAMPAIGN_SHARE ?? 0.5,
      expireSeconds: raw.KEYSHIFT_JOB_EXPIRE_SECONDS ?? 300,
      maintenanceSeconds: raw.KEYSHIFT_JOB_MAINTENANCE_SECONDS ?? 30,
    },
  };

  const need = (value: unknown, name: string, why: string) => {
    if (value === undefined) problems.push(`${name} is not set (${why})`);
  };
  // The tenants file checked its own credentials; the single-tenant variables are checked here.
  if (!fromFile) {
    need(
      config.auth0.domain,
      'AUTH0_DOMAIN',
      'the tenant whose connections Keyshift manages, or set KEYSHIFT_TENANTS_FILE',
    );
    if (!config.auth0.managementToken) {
      need(config.auth0.clientId, 'AUTH0_CLIENT_ID', 'machine-to-machine app, or set AUTH0_MANAGEMENT_TOKEN');
      need(config.auth0.clientSecret, 'AUTH0_CLIENT_SECRET', 'machine-to-machine app, or set AUTH0_MANAGEMENT_TOKEN');
    }
  }
  need(config.auth.issuer, 'AUTH_ISSUER', 'the OIDC issuer operators sign in with');
  need(config.auth.clientId, 'AUTH_CLIENT_ID', 'the OIDC app operators sign in with');
  need(config.auth.clientSecret, 'AUTH_CLIENT_SECRET', 'the OIDC app operators sign in with');
  need(config.nextAuth.url, 'NEXTAUTH_URL', 'the public URL of this dashboard');
  need(
    config.nextAuth.secret,
    'NEXTAUTH_SECRET',
    'signs and encrypts sessions; generate one with `openssl rand -base64 32`. The public demo secret is used only ' +
      'in demo mode with NEXTAUTH_URL on localhost, 127.0.0.1 or [::1] and the emulator’s tenant on a loopback ' +
      'AUTH0_API_ORIGIN',
  );
  if (config.nextAuth.secret && config.nextAuth.secret.length < 32) {
    problems.push('NEXTAUTH_SECRET is too short (use at least 32 characters)');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  // Every field checked above is defined from here on; the casts only tell the compiler what `need` proved.
  return config as typeof config & {
    auth0: { domain: string };
    auth: { issuer: string; clientId: string; clientSecret: string };
    nextAuth: { url: string; secret: string };
  };
}

let cached: Config | undefined;

export function config(): Config {
  cached ??= buildConfig(process.env);
  return cached;
}

/**
 * The audit database's settings alone, validated as config() validates them, for a script that only opens the
 * audit trail (scripts/audit-verify.ts) and has none of the Auth0 and sign-in settings config() insists on.
 */
export function databaseConfig(env: Record<string, string | undefined> = process.env): DatabaseConfig {
  const parsed = databaseSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  return databaseSettings(parsed.data);
}

export function tenantBySlug(slug: string): TenantConfig | undefined {
  return config().tenants.find((tenant) => tenant.slug === slug);
}

/** The tenant whose domain an audit event or a hand-off link recorded. */
export function tenantByDomain(domain: string): TenantConfig | undefined {
  return config().tenants.find((tenant) => tenant.domain === domain);
}
