/**
 * The emulator's command line: `[--port 4010] [--host 127.0.0.1] [--connections N] [--state FILE]
 * [--rate-limit CAP:REFILL] [--sign-in-rate PER_MINUTE] [--no-admin] [--extra-tenant DOMAIN@PORT …]`.
 * Env: EMULATOR_PORT, EMULATOR_HOST, EMULATOR_STATE, EMULATOR_RATE_LIMIT, EMULATOR_SIGN_IN_RATE,
 * EMULATOR_EXTRA_TENANTS (comma-separated DOMAIN@PORT); a flag wins over its variable.
 */
import { parseArgs } from 'node:util';
import type { RateLimitConfig } from './rate-limit';
import { isTenantDomain, TENANT_DOMAIN } from './tenant';

/** A tenant served beside the primary, on its own port. */
export interface ExtraTenant {
  domain: string;
  port: number;
}

export interface EmulatorCommand {
  port: number;
  host: string;
  connections: number;
  stateFile?: string;
  rateLimit?: RateLimitConfig;
  signInRate?: number;
  /** Benchmarks: key pairs drawn from this many per algorithm. */
  keyPool?: number;
  /** The demo: some seeded keys made long ago. */
  agedKeys: boolean;
  admin: boolean;
  extraTenants: ExtraTenant[];
}

/** A command line the emulator refuses; main.ts prints the message and exits with 2. */
export class UsageError extends Error {}

function nonNegativeInt(name: string, raw: string): number {
  if (!/^\d+$/.test(raw)) throw new UsageError(`${name} must be a non-negative integer, got "${raw}"`);
  return Number(raw);
}

function parsePort(name: string, raw: string): number {
  const port = nonNegativeInt(name, raw);
  if (port > 65_535) throw new UsageError(`${name} must be a port (0–65535), got "${raw}"`);
  return port;
}

function parseRateLimit(raw: string): RateLimitConfig {
  const match = /^(\d+):(\d+(?:\.\d+)?)$/.exec(raw);
  if (!match || Number(match[1]) < 1 || Number(match[2]) <= 0)
    throw new UsageError(`--rate-limit must be CAPACITY:REFILL_PER_SECOND, got "${raw}"`);
  return { capacity: Number(match[1]), refillPerSecond: Number(match[2]) };
}

/** `DOMAIN@PORT`, e.g. `dev-tenant.local@4011`; `source` names the flag or variable it came from. */
export function parseExtraTenant(raw: string, source = '--extra-tenant'): ExtraTenant {
  const match = /^([^@\s]+)@(\d+)$/.exec(raw);
  if (!match?.[1] || !match[2]) {
    throw new UsageError(`${source} must be DOMAIN@PORT (e.g. dev-tenant.local@4011), got "${raw}"`);
  }
  const domain = match[1];
  if (!isTenantDomain(domain)) {
    throw new UsageError(
      `${source} "${raw}": "${domain}" is not a tenant domain (lower-case DNS labels joined by dots, e.g. dev-tenant.local)`,
    );
  }
  if (domain === TENANT_DOMAIN) throw new UsageError(`${source} "${raw}": ${TENANT_DOMAIN} is the primary tenant`);
  return { domain, port: parsePort(`${source} "${raw}" port`, match[2]) };
}

/** Each domain once; each fixed port once, the primary's included (0 = any free port, never a clash). */
function checkDistinct(primaryPort: number, tenants: ExtraTenant[]): void {
  const domains = new Set<string>();
  const ports = new Map<number, string>(primaryPort === 0 ? [] : [[primaryPort, TENANT_DOMAIN]]);
  for (const { domain, port } of tenants) {
    if (domains.has(domain)) throw new UsageError(`extra tenant ${domain} is given twice`);
    domains.add(domain);
    const holder = ports.get(port);
    if (holder) throw new UsageError(`extra tenant ${domain}: port ${port} is already ${holder}'s`);
    if (port !== 0) ports.set(port, domain);
  }
}

const FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  connections: { type: 'string' },
  state: { type: 'string' },
  'rate-limit': { type: 'string' },
  'sign-in-rate': { type: 'string' },
  'key-pool': { type: 'string' },
  'aged-keys': { type: 'boolean' },
  'no-admin': { type: 'boolean' },
  'extra-tenant': { type: 'string', multiple: true },
} as const;

function readFlags(args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], options: FLAGS, strict: true }).values;
  } catch (error) {
    // An unknown flag or a missing value: parseArgs says which.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** `env`: the process environment (only the EMULATOR_* variables are read). */
export function parseCommand(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): EmulatorCommand {
  const values = readFlags(args);
  const port = parsePort('--port', values.port ?? env.EMULATOR_PORT ?? '4010');
  const rateLimit = values['rate-limit'] ?? env.EMULATOR_RATE_LIMIT;
  const signInRate = values['sign-in-rate'] ?? env.EMULATOR_SIGN_IN_RATE;
  const fromFlags = values['extra-tenant'];
  const extraTenants = fromFlags
    ? fromFlags.map((raw) => parseExtraTenant(raw))
    : (env.EMULATOR_EXTRA_TENANTS ?? '')
        .split(',')
        .map((raw) => raw.trim())
        .filter(Boolean)
        .map((raw) => parseExtraTenant(raw, 'EMULATOR_EXTRA_TENANTS'));
  checkDistinct(port, extraTenants);
  return {
    port,
    host: values.host ?? env.EMULATOR_HOST ?? '127.0.0.1',
    connections: values.connections === undefined ? 0 : nonNegativeInt('--connections', values.connections),
    stateFile: values.state ?? env.EMULATOR_STATE ?? undefined,
    rateLimit: rateLimit ? parseRateLimit(rateLimit) : undefined,
    signInRate: signInRate === undefined ? undefined : nonNegativeInt('--sign-in-rate', signInRate),
    keyPool: values['key-pool'] === undefined ? undefined : nonNegativeInt('--key-pool', values['key-pool']),
    agedKeys: values['aged-keys'] === true,
    admin: !values['no-admin'],
    extraTenants,
  };
}
