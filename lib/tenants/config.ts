import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/**
 * The Auth0 tenants one Keyshift serves: read from the tenants file (KEYSHIFT_TENANTS_FILE, JSON or YAML), whose
 * credentials are the NAMES of environment variables holding them, never the secrets. lib/config.ts turns the
 * single-tenant variables into a one-entry list instead when there is no file. Imports nothing of the app's, so that
 * lib/config.ts can import it.
 */
export const ENVIRONMENTS = ['development', 'staging', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export interface TenantConfig {
  slug: string;
  name: string;
  environment: Environment;
  domain: string;
  /** Where https://{domain} is reached instead (the emulator); undefined: Auth0 itself. */
  apiOrigin: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
  managementToken: string | undefined;
  /** This tenant's default rotation period in days (lib/fleet), when its entry sets one. */
  rotationPeriodDays?: number;
}

export const DEFAULT_DEV_FIRST_DAYS = 30;
/** Auth0 suggests rotating these keys yearly; compliance programmes ask for 90 to 365 days. */
export const DEFAULT_ROTATION_PERIOD_DAYS = 365;
export const MAX_ROTATION_PERIOD_DAYS = 3650;

export const rotationPeriodSchema = z
  .number()
  .int('must be a whole number of days')
  .min(1, 'must be at least 1 day')
  .max(MAX_ROTATION_PERIOD_DAYS, `must be at most ${MAX_ROTATION_PERIOD_DAYS} days`);

/** The first segment of every page of a tenant: a slug cannot be one of the app's own top-level paths. */
export const RESERVED_SLUGS = new Set([
  'api',
  'audit',
  'connections',
  'handoff',
  'signin',
  'signout',
  'signed-out',
  'no-access',
  '_next',
  'favicon.ico',
  'fonts',
  'metrics',
]);
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** A problem with the tenants: each a sentence naming the entry and the field. */
export class TenantsConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'TenantsConfigError';
  }
}

export const slugSchema = z
  .string()
  .regex(SLUG, 'must be 1 to 32 lowercase letters, digits and inner hyphens')
  .refine((slug) => !RESERVED_SLUGS.has(slug), 'is one of Keyshift’s own paths; choose another');

// Upper case only: a secret pasted where its variable's name belongs is refused, never echoed back as a name.
const envName = z.string().regex(ENV_NAME, 'must be the NAME of an environment variable (A–Z, 0–9, _)');
const credentials = z.union([
  z.object({ clientIdEnv: envName, clientSecretEnv: envName }).strict(),
  z.object({ managementTokenEnv: envName }).strict(),
]);

const entrySchema = z
  .object({
    slug: slugSchema,
    name: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
    environment: z.enum(ENVIRONMENTS, { error: 'must be development, staging or production' }),
    domain: z.string().trim().toLowerCase().regex(HOSTNAME, 'must be a host name, such as acme.eu.auth0.com'),
    apiOrigin: z.url({ protocol: /^https?$/, error: 'must be an http(s) origin' }).optional(),
    credentials,
    rotationPeriodDays: rotationPeriodSchema.optional(),
  })
  .strict();

const fileSchema = z
  .object({
    tenants: z.array(z.unknown()).min(1, 'must list at least one tenant'),
    devFirstDays: z.number().int('must be a whole number of days').min(1).max(365).optional(),
    rotationPeriodDays: rotationPeriodSchema.optional(),
  })
  .strict();

/** Keys that hold a secret itself: refused with a sentence that never repeats the value. */
const SECRET_KEYS = new Set(['clientSecret', 'managementToken', 'secret', 'token', 'password', 'clientId']);

function where(index: number, raw: unknown): string {
  const slug = raw && typeof raw === 'object' && typeof (raw as { slug?: unknown }).slug === 'string';
  return slug ? `tenants[${index}] "${(raw as { slug: string }).slug}"` : `tenants[${index}]`;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') {
    const secret = issue.keys.find((key) => SECRET_KEYS.has(key));
    if (secret) {
      return `${path ? `${path}.` : ''}${secret} holds a credential itself; give the NAME of an environment variable that holds it instead (${secret}Env)`;
    }
    return `${path ? `${path}: ` : ''}unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
  }
  if (issue.code === 'invalid_union' && path === 'credentials') {
    return 'credentials must be { clientIdEnv, clientSecretEnv } or { managementTokenEnv }, each the name of an environment variable';
  }
  return `${path || 'the file'} ${issue.message}`;
}

function parseText(path: string, text: string): unknown {
  const yaml = /\.ya?ml$/i.test(path);
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new TenantsConfigError([`it is not valid ${yaml ? 'YAML' : 'JSON'}: ${detail}`]);
  }
}

/**
 * The tenants of a tenants file's text, their credentials read from `env`. Throws TenantsConfigError listing every
 * problem found, each naming its entry and field.
 */
export function parseTenantsFile(
  path: string,
  text: string,
  env: Record<string, string | undefined>,
): { tenants: TenantConfig[]; devFirstDays: number | undefined; rotationPeriodDays: number | undefined } {
  const file = fileSchema.safeParse(parseText(path, text));
  if (!file.success) throw new TenantsConfigError(file.error.issues.map(describeIssue));
  const problems: string[] = [];
  const tenants: TenantConfig[] = [];
  file.data.tenants.forEach((raw, index) => {
    const entry = entrySchema.safeParse(raw);
    if (!entry.success) {
      for (const issue of entry.error.issues) problems.push(`${where(index, raw)}: ${describeIssue(issue)}`);
      return;
    }
    const { slug, name, environment, domain, apiOrigin, credentials, rotationPeriodDays } = entry.data;
    const read = (field: string, variable: string) => {
      const value = env[variable]?.trim();
      if (!value) problems.push(`${where(index, raw)}: credentials.${field} names ${variable}, which is not set`);
      return value || undefined;
    };
    const fromEnv =
      'managementTokenEnv' in credentials
        ? {
            clientId: undefined,
            clientSecret: undefined,
            managementToken: read('managementTokenEnv', credentials.managementTokenEnv),
          }
        : {
            clientId: read('clientIdEnv', credentials.clientIdEnv),
            clientSecret: read('clientSecretEnv', credentials.clientSecretEnv),
            managementToken: undefined,
          };
    tenants.push({
      slug,
      name,
      environment,
      domain,
      apiOrigin: apiOrigin ? new URL(apiOrigin).origin : undefined,
      ...fromEnv,
      ...(rotationPeriodDays === undefined ? {} : { rotationPeriodDays }),
    });
  });
  for (const key of ['slug', 'domain'] as const) {
    const seen = new Map<string, number>();
    file.data.tenants.forEach((raw, index) => {
      const value = (raw as Record<string, unknown> | null)?.[key];
      if (typeof value !== 'string') return;
      const normal = value.trim().toLowerCase();
      const first = seen.get(normal);
      if (first === undefined) seen.set(normal, index);
      else
        problems.push(
          `${where(index, raw)}: ${key} "${normal}" is also tenants[${first}]'s; each tenant needs its own`,
        );
    });
  }
  if (problems.length > 0) throw new TenantsConfigError(problems);
  return { tenants, devFirstDays: file.data.devFirstDays, rotationPeriodDays: file.data.rotationPeriodDays };
}

/** A slug for a tenant known only by its domain: its first label, made to fit (acme-dev.eu.auth0.com → acme-dev). */
export function slugFromDomain(domain: string): string {
  const label = (domain.split('.')[0] ?? '').toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  const slug = label.replace(/^-+/, '').slice(0, 32).replace(/-+$/, '');
  if (!slug) return 'tenant';
  return RESERVED_SLUGS.has(slug) ? `${slug}-tenant` : slug;
}
