#!/usr/bin/env node
// `npm run demo`: the emulated Auth0 tenant and the dashboard together, on http://localhost:3000.
// Builds the app when the build is missing or older than the sources. Ctrl-C stops both.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const port = process.env.PORT ?? '3000';
const emulatorPort = process.env.EMULATOR_PORT ?? '4010';
const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: '1',
  KEYSHIFT_DEMO: '1',
  AUTH0_API_ORIGIN: process.env.AUTH0_API_ORIGIN ?? emulatorUrl,
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
    // Simulated sign-ins through each demo connection (emulator/README.md, "Upstream IdPs"), 6 a minute.
    [
      '--import',
      'tsx',
      'emulator/main.ts',
      '--port',
      emulatorPort,
      '--state',
      'data/emulator-state.json',
      '--sign-in-rate',
      process.env.EMULATOR_SIGN_IN_RATE ?? '6',
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
console.log(
  `\nKeyshift demo: open http://localhost:${port} (the emulated tenant is at ${emulatorUrl}). Ctrl-C stops both.\n`,
);
