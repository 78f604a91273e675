import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM, E2E } from './e2e/env';

const chromium = CHROMIUM;

const serverEnv = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: '1',
  KEYSHIFT_DEMO: '1',
  AUTH0_API_ORIGIN: E2E.emulatorUrl,
  AUTH_ISSUER: E2E.emulatorUrl,
  NEXTAUTH_URL: E2E.appUrl,
  KEYSHIFT_DATA_DIR: E2E.dataDir,
  OIDC_REDIRECT_URIS: `${E2E.appUrl}/api/auth/callback/auth0`,
  METRICS_TOKEN: E2E.metricsToken,
  NOTIFY_WEBHOOK_URLS: E2E.webhookUrl,
  NOTIFY_WEBHOOK_SECRET: E2E.webhookSecret,
  OIDC_POST_LOGOUT_REDIRECT_URIS: `${E2E.appUrl}/,${E2E.appUrl}/signed-out`,
} as Record<string, string>;

export default defineConfig({
  testDir: './e2e',
  outputDir: process.env.E2E_OUTPUT_DIR ?? './test-results/playwright',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI
    ? [['list'], ['json', { outputFile: process.env.E2E_REPORT ?? 'test-results/playwright.json' }]]
    : [['list'], ['json', { outputFile: process.env.E2E_REPORT ?? 'test-results/playwright.json' }]],
  use: {
    baseURL: E2E.appUrl,
    trace: 'retain-on-failure',
    launchOptions: chromium,
  },
  projects: [
    { name: 'setup', testMatch: /auth\.setup\.ts/, use: { ...devices['Desktop Chrome'], launchOptions: chromium } },
    {
      name: 'chromium',
      dependencies: ['setup'],
      testIgnore: [/auth\.setup\.ts/, /phone\.spec\.ts/],
      use: { ...devices['Desktop Chrome'], launchOptions: chromium },
    },
    {
      // Every page at a phone's width (e2e/phone.spec.ts): no sideways scroll, no overlapping text.
      name: 'phone',
      dependencies: ['setup'],
      testMatch: /phone\.spec\.ts/,
      use: { ...devices['Desktop Chrome'], viewport: { width: 390, height: 844 }, launchOptions: chromium },
    },
  ],
  webServer: [
    {
      command: `node --import tsx emulator/main.ts --port ${E2E.emulatorPort}`,
      url: `${E2E.emulatorUrl}/.well-known/jwks.json`,
      env: serverEnv,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: `node node_modules/next/dist/bin/next start --port ${E2E.appPort}`,
      url: `${E2E.appUrl}/api/health`,
      env: serverEnv,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
