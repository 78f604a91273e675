/**
 * CLI: `tsx emulator/main.ts [--port 4010] [--host 127.0.0.1] [--connections N] [--state FILE]
 * [--rate-limit CAP:REFILL] [--sign-in-rate PER_MINUTE] [--no-admin]`. Env: EMULATOR_PORT, EMULATOR_HOST, EMULATOR_STATE,
 * EMULATOR_RATE_LIMIT, EMULATOR_SIGN_IN_RATE.
 */
import { parseArgs } from 'node:util';
import { createOidcIssuer, type OidcIssuer } from './oidc';
import type { RateLimitConfig } from './rate-limit';
import { startEmulator } from './server';
import { TENANT_DOMAIN } from './tenant';

function fail(message: string): never {
  console.error(`emulator: ${message}`);
  process.exit(2);
}

function nonNegativeInt(name: string, raw: string): number {
  if (!/^\d+$/.test(raw)) fail(`${name} must be a non-negative integer, got "${raw}"`);
  return Number(raw);
}

function parseRateLimit(raw: string): RateLimitConfig {
  const match = /^(\d+):(\d+(?:\.\d+)?)$/.exec(raw);
  if (!match || Number(match[1]) < 1 || Number(match[2]) <= 0)
    fail(`--rate-limit must be CAPACITY:REFILL_PER_SECOND, got "${raw}"`);
  return { capacity: Number(match[1]), refillPerSecond: Number(match[2]) };
}

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    connections: { type: 'string' },
    state: { type: 'string' },
    'rate-limit': { type: 'string' },
    'sign-in-rate': { type: 'string' },
    'no-admin': { type: 'boolean' },
  },
  strict: true,
});

const port = nonNegativeInt('--port', values.port ?? process.env.EMULATOR_PORT ?? '4010');
const rateLimit = values['rate-limit'] ?? process.env.EMULATOR_RATE_LIMIT;
const signInRate = values['sign-in-rate'] ?? process.env.EMULATOR_SIGN_IN_RATE;
// The sign-in issuer (emulator/oidc) serves everything the Auth0 API routes do not. Its issuer URL contains the
// port, known only after listen(), so it is attached once the server is up; until then such requests get 503.
let oidc: OidcIssuer | undefined;
const emulator = await startEmulator({
  fallback: (req, res) => (oidc ? oidc.handle(req, res) : res.writeHead(503).end()),
  port,
  host: values.host ?? process.env.EMULATOR_HOST ?? '127.0.0.1',
  connections: values.connections === undefined ? 0 : nonNegativeInt('--connections', values.connections),
  stateFile: values.state ?? process.env.EMULATOR_STATE ?? undefined,
  rateLimit: rateLimit ? parseRateLimit(rateLimit) : undefined,
  admin: !values['no-admin'],
  signInRate: signInRate === undefined ? undefined : nonNegativeInt('--sign-in-rate', signInRate),
});
oidc = await createOidcIssuer({ issuer: emulator.url });
console.log(`Auth0 emulator for ${TENANT_DOMAIN} listening on ${emulator.url}`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('emulator: failed to close cleanly', error);
        process.exit(1);
      },
    );
  });
}
