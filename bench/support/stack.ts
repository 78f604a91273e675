/**
 * What the browser benchmarks run against: an emulated tenant and `next start` on the current build, each a child
 * process on its own port, plus Debian's Chromium driven by Playwright. Build first (`npm run build`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from '@playwright/test';
import { CHROMIUM } from '../../e2e/env';

export { CHROMIUM };

export interface Stack {
  appUrl: string;
  emulatorUrl: string;
  stop(): Promise<void>;
}

async function waitFor(url: string, child: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** The emulator with `connections` generated customers and the app pointed at it. */
export async function startStack(options: {
  connections: number;
  appPort: number;
  emulatorPort: number;
  rateLimit?: string;
}): Promise<Stack> {
  const emulatorUrl = `http://127.0.0.1:${options.emulatorPort}`;
  const appUrl = `http://localhost:${options.appPort}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'keyshift-bench-'));
  const env = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: '1',
    KEYSHIFT_DEMO: '1',
    AUTH0_API_ORIGIN: emulatorUrl,
    AUTH_ISSUER: emulatorUrl,
    NEXTAUTH_URL: appUrl,
    KEYSHIFT_DATA_DIR: dataDir,
    OIDC_REDIRECT_URIS: `${appUrl}/api/auth/callback/auth0`,
  };
  const stdio: ['ignore', 'ignore', 'inherit'] = ['ignore', 'ignore', 'inherit'];
  const emulator = spawn(
    'node',
    [
      '--import',
      'tsx',
      'emulator/main.ts',
      '--port',
      String(options.emulatorPort),
      '--connections',
      String(options.connections),
      ...(options.rateLimit ? ['--rate-limit', options.rateLimit] : []),
    ],
    { env, stdio },
  );
  const app = spawn('node', ['node_modules/next/dist/bin/next', 'start', '--port', String(options.appPort)], {
    env,
    stdio,
  });
  const stop = async () => {
    await Promise.all([stopChild(app), stopChild(emulator)]);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitFor(`${emulatorUrl}/.well-known/jwks.json`, emulator);
    await waitFor(`${appUrl}/api/health`, app);
  } catch (error) {
    await stop();
    throw error;
  }
  return { appUrl, emulatorUrl, stop };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch(CHROMIUM);
}

/**
 * Signs in through the emulator's login page and lands on `returnTo`, whose path must not be `/` when a benchmark
 * wants to see the connection list cold.
 */
export async function signIn(page: Page, appUrl: string, email: string, returnTo = '/'): Promise<void> {
  await page.goto(new URL(returnTo, appUrl).href);
  await page.getByRole('button', { name: 'Sign in with Auth0' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('demo-password');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((url) => url.origin === new URL(appUrl).origin && !url.pathname.startsWith('/api/auth'));
}

export async function signedInContext(
  browser: Browser,
  appUrl: string,
  email = 'alice@example.com',
  returnTo = '/',
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signIn(page, appUrl, email, returnTo);
  await page.close();
  return context;
}

export function cookieHeader(cookies: { name: string; value: string }[]): string {
  return cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}

export const median = (values: number[]) => quantile(values, 0.5);

export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (position - low);
}
