import { type Browser, type BrowserContext, expect, type Page, test } from '@playwright/test';
import { E2E } from './env';
import { expectNoAxeViolations, signIn } from './fixtures';
import { Stack } from './stack';

// Its own stack: a 10,000-connection tenant (10,013 with the seed; 8,007 of them can hold keys) and an app on it,
// next to the shared one, on ports derived from it.
const APP_PORT = E2E.appPort + 20;
const EMULATOR_PORT = E2E.emulatorPort + 20;
const LIST = 'GET /api/v2/connections';
const KEYS = 'GET /api/v2/connections/{id}/keys';

test.describe.configure({ mode: 'serial' });

let stack: Stack;
let storageState: Awaited<ReturnType<BrowserContext['storageState']>>;

/** Each listing page answers 30 ms late: a cold listing takes seconds, long enough to watch its progress. */
async function slowListing(): Promise<void> {
  await stack.fault({ route: LIST, kind: 'latency', ms: 30, count: 400 });
}

const renderedRows = (page: Page) => page.locator('tbody tr[aria-rowindex]');
const loadedSoFar = async (page: Page) =>
  Number(((await page.getByTestId('listing-progress').textContent()) ?? '').replace(/\D/g, ''));

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  // The key inventory's background reads are off here: these tests count the lookups the page makes (the inventory
  // has tests and a bench of its own, lib/fleet/inventory.test.ts and bench/inventory.ts).
  stack = await Stack.start({
    ports: { app: APP_PORT, emulator: EMULATOR_PORT },
    connections: 10_000,
    appEnv: { KEYSHIFT_INVENTORY: 'off' },
  });
  const context = await browser.newContext();
  // Signed in on a connection page: the server has not listed the connections yet.
  await signIn(await context.newPage(), 'alice@example.com', '/connections/con_Q7tLk2vMx9RbW4sE', stack.appUrl);
  storageState = await context.storageState();
  await context.close();
});

test.afterAll(async () => {
  await stack?.stop();
});

const contexts: BrowserContext[] = [];

async function open(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ storageState, viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  return context.newPage();
}

// A page left open would keep polling and looking keys up while the next test counts calls.
test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

test('a cold listing shows how many connections are loaded so far, then the list, virtualized', async ({ browser }) => {
  await slowListing();
  const page = await open(browser);
  await page.goto(`${stack.appUrl}/`);
  await expect(page.getByRole('status').filter({ hasText: 'Loading connections from Auth0' })).toBeVisible();
  const first = await loadedSoFar(page);
  await expect.poll(() => loadedSoFar(page), { timeout: 20_000 }).toBeGreaterThan(first);

  const table = page.getByRole('table', { name: 'Connections' });
  await expect(table).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('8,007 connections')).toBeVisible();
  await expect(page.getByText(/Refreshed (just now|\d+ s ago)/)).toBeVisible();
  await expect(table).toHaveAttribute('aria-rowcount', '8008');
  expect(await renderedRows(page).count()).toBeLessThan(60);

  // The end of the list is reachable by scrolling, and still only a screenful of rows is in the page.
  await page.getByTestId('connection-scroller').evaluate((scroller) => {
    scroller.scrollTop = scroller.scrollHeight;
  });
  await expect(table.getByRole('link', { name: 'okta-customer-10000' })).toBeVisible();
  expect(await renderedRows(page).count()).toBeLessThan(60);
  await expectNoAxeViolations(page);
});

test('search filters the 8,007 rows as you type', async ({ browser }) => {
  const page = await open(browser);
  await page.goto(`${stack.appUrl}/`);
  const table = page.getByRole('table', { name: 'Connections' });
  await expect(page.getByText('8,007 connections')).toBeVisible();
  await page.getByLabel('Search connections').pressSequentially('customer-0999', { delay: 50 });
  // 9990–9999: six of them are OIDC with Private Key JWT; the others have no keys or are SAML / Entra ID.
  await expect(page.getByText('6 of 8,007 connections')).toBeVisible();
  await expect(table.getByRole('link')).toHaveText(
    ['09990', '09991', '09992', '09993', '09994', '09995'].map((n) => `oidc-customer-${n}`),
  );
  await page.getByLabel('Search connections').fill('no-such-connection');
  await expect(page.getByText('No connection matches.')).toBeVisible();
});

test('keys are looked up for the rows on screen only, not for 8,007 connections', async ({ browser }) => {
  const page = await open(browser);
  await page.goto(`${stack.appUrl}/`);
  await expect(page.getByText('8,007 connections')).toBeVisible({ timeout: 30_000 });
  await page.waitForLoadState('networkidle');
  await stack.admin('DELETE', '/calls');
  // A new page load: the browser's cache of key summaries is gone; the server's list cache is not.
  await page.reload();
  const acme = page.getByRole('row', { name: /okta-acme/ });
  await expect(acme).toContainText('Provisioned', { timeout: 20_000 });
  await expect(acme).toContainText('RS256');
  await expect(page.getByRole('row', { name: /okta-initech/ })).toContainText('ES256');
  await expect(page.getByText('Checking…')).toHaveCount(0, { timeout: 20_000 });
  const calls = await stack.calls();
  expect(calls[KEYS]).toBeGreaterThan(0);
  // About a screenful (the rows in view plus overscan); never anywhere near the 8,007 key-capable connections.
  expect(calls[KEYS]).toBeLessThanOrEqual(2 * (await renderedRows(page).count()));
  // The list itself came from the server's cache: no listing at all.
  expect(calls[LIST] ?? 0).toBe(0);
});

test('Refresh lists again, showing its progress, and the list says when it was refreshed', async ({ browser }) => {
  const page = await open(browser);
  await page.goto(`${stack.appUrl}/`);
  await expect(page.getByText('8,007 connections')).toBeVisible();
  await slowListing();
  await stack.admin('DELETE', '/calls');
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByText(/Refreshing… [\d,]+ loaded/)).toBeVisible();
  // The stale list stays usable meanwhile.
  await expect(page.getByRole('table', { name: 'Connections' }).getByRole('link').first()).toBeVisible();
  await expect(page.getByText(/Refreshed just now/)).toBeVisible({ timeout: 30_000 });
  const calls = await stack.calls();
  // Okta and OIDC only (9,009 connections, with and without keys): 91 pages, each answered the first time.
  expect(calls[LIST]).toBe(91);
});

test('showing every connection lists all strategies, with progress', async ({ browser }) => {
  const page = await open(browser);
  await page.goto(`${stack.appUrl}/`);
  await expect(page.getByText('8,007 connections')).toBeVisible();
  await slowListing();
  await page.getByLabel('Only connections with keys').uncheck();
  await expect(page.getByTestId('listing-progress')).toBeVisible();
  await expect(page.getByText('10,013 connections')).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('Search connections').fill('samlp-customer-0999');
  await expect(page.getByRole('table', { name: 'Connections' }).getByRole('link')).toHaveText(['samlp-customer-09998']);
  await expectNoAxeViolations(page);
});
