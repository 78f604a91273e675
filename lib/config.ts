import 'server-only';
import { z } from 'zod';
import { DEMO_TENANT, EMULATOR_ORIGIN, isDemo } from './defaults';

/**
 * The environment, validated once. Demo mode (`KEYSHIFT_DEMO=1`, set by `npm run demo` and the tests) fills in the
 * emulator's tenant and login; outside it every required variable must be set, and a missing one stops the server
 * with a message naming all of them at once.
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
  AUTH_ISSUER: origin,
  AUTH_CLIENT_ID: optional,
  AUTH_CLIENT_SECRET: optional,
  AUTH_ROLES_CLAIM: optional,
  AUTH_ROTATOR_EMAILS: csv,
  AUTH_VIEWER_EMAILS: csv,
  NEXTAUTH_URL: origin,
  NEXTAUTH_SECRET: optional,
  DATABASE_URL: optional.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres://')
      .optional(),
  ),
  KEYSHIFT_DATA_DIR: optional,
  KEYSHIFT_SETTLE_INTERVAL_SECONDS: optional.pipe(
    z.coerce
      .number<string | undefined>()
      .int('must be a whole number of seconds')
      .min(5, 'must be at least 5 seconds')
      .max(86_400, 'must be at most a day')
      .optional(),
  ),
});

export const DEFAULT_AUTH0_TIMEOUT_SECONDS = 15;
export const DEFAULT_SETTLE_INTERVAL_SECONDS = 60;

/** Where the audit trail lives: PostgreSQL at `databaseUrl`, else PGlite under `dataDir`. */
export interface DatabaseConfig {
  databaseUrl: string | undefined;
  dataDir: string;
}

const databaseSchema = rawSchema.pick({ DATABASE_URL: true, KEYSHIFT_DATA_DIR: true });

function databaseSettings(raw: z.output<typeof databaseSchema>): DatabaseConfig {
  return { databaseUrl: raw.DATABASE_URL, dataDir: raw.KEYSHIFT_DATA_DIR ?? './data' };
}

export type Config = ReturnType<typeof buildConfig>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Keyshift cannot start: its configuration is incomplete.\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function buildConfig(env: Record<string, string | undefined>) {
  const parsed = rawSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const raw = parsed.data;
  const demo = isDemo(env);
  const fallback = <T>(value: T | undefined, demoValue: T) => value ?? (demo ? demoValue : undefined);

  const config = {
    demo,
    auth0: {
      domain: fallback(raw.AUTH0_DOMAIN, DEMO_TENANT),
      apiOrigin: raw.AUTH0_API_ORIGIN ?? (demo && !raw.AUTH0_DOMAIN ? EMULATOR_ORIGIN : undefined),
      clientId: raw.AUTH0_MANAGEMENT_TOKEN ? raw.AUTH0_CLIENT_ID : fallback(raw.AUTH0_CLIENT_ID, 'demo-m2m'),
      clientSecret: raw.AUTH0_MANAGEMENT_TOKEN
        ? raw.AUTH0_CLIENT_SECRET
        : fallback(raw.AUTH0_CLIENT_SECRET, 'demo-m2m-secret'),
      managementToken: raw.AUTH0_MANAGEMENT_TOKEN,
      /** How long one Auth0 call may take before Keyshift gives up on it (and settles a rotation by reading back). */
      timeoutSeconds: raw.AUTH0_TIMEOUT_SECONDS ?? DEFAULT_AUTH0_TIMEOUT_SECONDS,
    },
    auth: {
      issuer: fallback(raw.AUTH_ISSUER, EMULATOR_ORIGIN),
      clientId: fallback(raw.AUTH_CLIENT_ID, 'keyshift-dashboard'),
      clientSecret: fallback(raw.AUTH_CLIENT_SECRET, 'keyshift-dashboard-secret'),
      rolesClaim: raw.AUTH_ROLES_CLAIM ?? 'https://keyshift.dev/roles',
      rotatorEmails: raw.AUTH_ROTATOR_EMAILS,
      viewerEmails: raw.AUTH_VIEWER_EMAILS,
    },
    nextAuth: {
      url: fallback(raw.NEXTAUTH_URL, 'http://localhost:3000'),
      // Demo sessions are signed with a fixed, public secret: fine for a local emulator, refused in production.
      secret: fallback(raw.NEXTAUTH_SECRET, 'keyshift-demo-secret-not-for-production-use'),
    },
    /** How often rotations left without an outcome (a process died mid-rotation) are looked for and settled. */
    settleIntervalSeconds: raw.KEYSHIFT_SETTLE_INTERVAL_SECONDS ?? DEFAULT_SETTLE_INTERVAL_SECONDS,
    ...databaseSettings(raw),
  };

  const problems: string[] = [];
  const need = (value: unknown, name: string, why: string) => {
    if (value === undefined) problems.push(`${name} is not set (${why})`);
  };
  need(config.auth0.domain, 'AUTH0_DOMAIN', 'the tenant whose connections Keyshift manages');
  if (!config.auth0.managementToken) {
    need(config.auth0.clientId, 'AUTH0_CLIENT_ID', 'machine-to-machine app, or set AUTH0_MANAGEMENT_TOKEN');
    need(config.auth0.clientSecret, 'AUTH0_CLIENT_SECRET', 'machine-to-machine app, or set AUTH0_MANAGEMENT_TOKEN');
  }
  need(config.auth.issuer, 'AUTH_ISSUER', 'the OIDC issuer operators sign in with');
  need(config.auth.clientId, 'AUTH_CLIENT_ID', 'the OIDC app operators sign in with');
  need(config.auth.clientSecret, 'AUTH_CLIENT_SECRET', 'the OIDC app operators sign in with');
  need(config.nextAuth.url, 'NEXTAUTH_URL', 'the public URL of this dashboard');
  need(
    config.nextAuth.secret,
    'NEXTAUTH_SECRET',
    'signs and encrypts sessions; generate one with `openssl rand -base64 32`',
  );
  if (!demo && config.nextAuth.secret && config.nextAuth.secret.length < 32) {
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
