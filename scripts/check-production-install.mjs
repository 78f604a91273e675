#!/usr/bin/env node
// Proves that a production install builds and starts Keyshift: copies the tracked files into a temporary folder,
// runs `npm ci --omit=dev`, `next build` and `next start` there (configured as a deployment would be, with every
// required variable and no demo mode; nothing it calls leaves this machine), checks what the server answers, then
// stops it and removes the folder. Run: `node scripts/check-production-install.mjs`. Exits 0 when it works; otherwise
// prints one sentence saying which step failed and exits 1. Bounded: every step has a deadline.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const MINUTE = 60_000;
const started = Date.now();
const dir = mkdtempSync(join(tmpdir(), 'keyshift-production-'));
/** Processes started here, each the leader of its own process group (so a step's children go with it). */
const running = new Set();

class StepError extends Error {}

function stopGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Runs one step to the end within `timeoutMs`; its output is kept and shown only if it fails. */
function step(label, command, args, { timeoutMs, env = process.env }) {
  console.log(`  ${label}…`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    const timer = setTimeout(() => {
      output.push(Buffer.from(`\n(stopped after ${timeoutMs / 1000} s)\n`));
      stopGroup(child, 'SIGKILL');
    }, timeoutMs);
    child.once('error', (error) => output.push(Buffer.from(String(error))));
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      if (code === 0) return resolve();
      process.stdout.write(Buffer.concat(output).toString('utf8').slice(-6_000));
      reject(new StepError(`failed at ${label} (${signal ?? `exit code ${code}`})`));
    });
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function get(url) {
  const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(15_000) });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

function expect(condition, what) {
  if (!condition) throw new StepError(what);
}

async function main() {
  const root = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(root, file))) continue; // deleted in the working tree, not yet committed
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(root, file), join(dir, file));
  }
  console.log(`  ${files.length} tracked files copied to ${dir}`);

  // CI=1: if the build needs a package the production install lacks, Next.js says so instead of installing it.
  const buildEnv = { ...process.env, CI: '1', NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' };
  delete buildEnv.NEXT_DIST_DIR;
  await step('npm ci --omit=dev', 'npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], {
    timeoutMs: 8 * MINUTE,
    env: buildEnv,
  });
  expect(!existsSync(join(dir, 'node_modules/oidc-provider')), 'installed oidc-provider, a dev dependency');
  await step('next build', 'node', ['node_modules/next/dist/bin/next', 'build'], {
    timeoutMs: 10 * MINUTE,
    env: buildEnv,
  });

  const port = await freePort();
  const closed = await freePort(); // Auth0 and the sign-in issuer "live" here: nothing answers, nothing leaves.
  const appUrl = `http://localhost:${port}`;
  const { DATABASE_URL: _db, KEYSHIFT_DEMO: _demo, NEXT_DIST_DIR: _dist, ...inherited } = process.env;
  const env = {
    ...inherited,
    NEXT_TELEMETRY_DISABLED: '1',
    AUTH0_DOMAIN: 'keyshift-check.invalid',
    AUTH0_API_ORIGIN: `http://127.0.0.1:${closed}`,
    AUTH0_CLIENT_ID: 'check-client',
    AUTH0_CLIENT_SECRET: 'check-secret',
    AUTH_ISSUER: `http://127.0.0.1:${closed}`,
    AUTH_CLIENT_ID: 'check-dashboard',
    AUTH_CLIENT_SECRET: 'check-dashboard-secret',
    NEXTAUTH_URL: appUrl,
    NEXTAUTH_SECRET: randomBytes(32).toString('base64'),
    KEYSHIFT_DATA_DIR: join(dir, 'data'),
  };
  console.log(`  next start on ${appUrl}…`);
  const server = spawn('node', ['node_modules/next/dist/bin/next', 'start', '--port', String(port)], {
    cwd: dir,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(server);
  const log = [];
  server.stdout.on('data', (chunk) => log.push(chunk));
  server.stderr.on('data', (chunk) => log.push(chunk));
  const exited = new Promise((resolve) => server.once('exit', resolve));
  try {
    const deadline = Date.now() + 2 * MINUTE;
    let health;
    while (!health) {
      expect(server.exitCode === null, 'started a server that exited before it served');
      expect(Date.now() < deadline, 'started a server that did not answer /api/health within 2 minutes');
      health = await get(`${appUrl}/api/health`).catch(() => undefined);
      if (!health) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(health.status === 200, `started a server whose /api/health answered ${health.status}`);
    expect(
      JSON.stringify(JSON.parse(health.text)) === JSON.stringify({ ok: true, tenant: 'keyshift-check.invalid' }),
      `started a server whose /api/health answered ${health.text}`,
    );
    const home = await get(`${appUrl}/`);
    expect(home.status === 307, `started a server whose / answered ${home.status}, not a redirect to /signin`);
    const signin = await get(`${appUrl}/signin`);
    expect(
      signin.status === 200 && signin.type.startsWith('text/html'),
      `started a server whose /signin answered ${signin.status}`,
    );
    expect(
      signin.text.includes('Sign in with Auth0'),
      'started a server whose /signin has no "Sign in with Auth0" button',
    );
    const stylesheet = /<link rel="stylesheet" href="([^"]+\.css)"/.exec(signin.text)?.[1];
    expect(stylesheet, 'started a server whose /signin links no stylesheet');
    const css = await get(new URL(stylesheet, appUrl).href);
    // Tailwind ran at build time: its utilities are in the stylesheet, not the bare `@import "tailwindcss"`.
    expect(
      css.status === 200 && css.text.includes('.rounded-md'),
      `built a stylesheet (${stylesheet}) without Tailwind's utilities`,
    );
    console.log('  /api/health, / and /signin answer as in a development install; the stylesheet is built');
  } catch (error) {
    process.stdout.write(Buffer.concat(log).toString('utf8').slice(-6_000));
    throw error;
  } finally {
    stopGroup(server, 'SIGTERM');
    const late = setTimeout(() => stopGroup(server, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(late);
    running.delete(server);
  }
}

function cleanUp() {
  for (const child of running) stopGroup(child, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    cleanUp();
    process.exit(1);
  });
}

try {
  await main();
  console.log(`Production install check passed in ${Math.round((Date.now() - started) / 1000)} s.`);
  cleanUp();
} catch (error) {
  cleanUp();
  const reason = error instanceof StepError ? error.message : String(error?.stack ?? error);
  console.log(`Production install check FAILED: the production install (npm ci --omit=dev) ${reason}.`);
  process.exit(1);
}
