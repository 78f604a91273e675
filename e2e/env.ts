/** Ports and places of the end-to-end stack; distinct from the demo's so a running demo does not interfere. */
const emulatorPort = Number(process.env.E2E_EMULATOR_PORT ?? 4110);
const appPort = Number(process.env.E2E_APP_PORT ?? 3100);

export const E2E = {
  emulatorPort,
  appPort,
  emulatorUrl: `http://127.0.0.1:${emulatorPort}`,
  appUrl: `http://localhost:${appPort}`,
  dataDir: process.env.E2E_DATA_DIR ?? './test-results/e2e-data',
  authDir: process.env.E2E_AUTH_DIR ?? 'e2e/.auth',
  /** The slug of the stack's one tenant (demo-tenant.local, from the single-tenant variables): its pages' prefix. */
  tenant: 'demo-tenant',
  /** Where the stack sends its alert webhooks (NOTIFY_WEBHOOK_URLS): a receiver e2e/alerts.spec.ts runs. */
  webhookUrl: `http://127.0.0.1:${Number(process.env.E2E_WEBHOOK_PORT ?? appPort + 7)}/keyshift-alerts`,
  webhookSecret: `whsec_${Buffer.from('keyshift-e2e-webhook-secret-000').toString('base64')}`,
  /** The stack's METRICS_TOKEN: /metrics answers a scrape that bears it. */
  metricsToken: 'e2e-metrics-token-not-a-secret',
};

/** Debian's Chromium, as the machine requires it: Playwright never downloads a browser here. */
export const CHROMIUM = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
