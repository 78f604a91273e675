#!/usr/bin/env node
// `npm run demo`: the emulated Auth0 tenants and the dashboard together, on http://localhost:3000.
// demo/tenants.json names the tenants: production on the emulator's primary tenant (demo-tenant.local, port 4010,
// which also serves the operators' sign-in) and development on an extra one (dev-tenant.local, port 4011).
// Builds the app when the build is missing or older than the sources. Ctrl-C stops both processes.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readDemoTenants } from './demo-tenants.mjs';

const TENANTS_FILE = 'demo/tenants.json';
const tenants = readDemoTenants(TENANTS_FILE);
const port = process.env.PORT ?? '3000';
const emulatorPort = String(tenants.primary.port);
if (process.env.EMULATOR_PORT && process.env.EMULATOR_PORT !== emulatorPort) {
  console.error(
    `EMULATOR_PORT=${process.env.EMULATOR_PORT}, but ${TENANTS_FILE} puts ${tenants.primary.domain} on ${emulatorPort}.`,
  );
  process.exit(2);
}
const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: '1',
  KEYSHIFT_DEMO: '1',
  KEYSHIFT_TENANTS_FILE: TENANTS_FILE,
  // Each tenant's M2M credentials, under the names the tenants file gives them.
  ...tenants.env,
  AUTH_ISSUER: process.env.AUTH_ISSUER ?? emulatorUrl,
  NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
};

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newest(join(path, entry))));
}

const built = existsSync('.next/BUILD_ID') ? statSync('.next/BUILD_ID').mtimeMs : 0;
const sources = Math.max(...['app', 'components', 'lib', 'public', 'next.config.ts', 'package-lock.json'].map(newest));
if (built < sources) {
  console.log('Building Keyshift (once; later starts reuse the build)…');
  const build = spawnSync('node', ['node_modules/next/dist/bin/next', 'build'], { stdio: 'inherit', env });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const children = [
  spawn(
    'node',
    // Simulated sign-ins through each demo connection of every tenant (emulator/README.md, "Upstream IdPs"), 6 a
    // minute. The extra tenants' state files sit beside the primary's (data/emulator-state.<domain>.json).
    [
      '--import',
      'tsx',
      'emulator/main.ts',
      ...tenants.emulatorArgs,
      '--state',
      'data/emulator-state.json',
      '--sign-in-rate',
      process.env.EMULATOR_SIGN_IN_RATE ?? '6',
      // Some keys made long ago, so the fleet shows keys due and overdue (emulator/seed.ts DEMO_KEY_AGES).
      '--aged-keys',
    ],
    {
      stdio: 'inherit',
      env,
    },
  ),
  spawn('node', ['node_modules/next/dist/bin/next', 'start', '--port', port], { stdio: 'inherit', env }),
];

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
}
for (const child of children) child.on('exit', (code) => stop(code ?? 0));
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
const served = [tenants.primary, ...tenants.extras].map(
  (tenant) => `${tenant.slug}: ${tenant.domain} on ${tenant.port}`,
);
console.log(
  `\nKeyshift demo: open http://localhost:${port} (emulated tenants ${served.join(', ')}). Ctrl-C stops both.\n`,
);
