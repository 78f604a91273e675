/**
 * The connection list at 10,000 connections against the 13-connection demo tenant, one stack after the other on
 * the same build, side by side, in one Chromium (loads and typing alternate between the two):
 *   - cold `/` (the server has no list yet): until the progress shows, until the first row is painted;
 *   - warm `/` (the list is cached on the server): first contentful paint, first row painted (Element Timing on the
 *     first row's name, server-rendered), list interactive (hydrated; the `keyshift:list-interactive` mark);
 *   - per keystroke: typing "oidc-globex" into the search, keystroke → filtered rows painted (`keyshift:search`).
 * Needs a build (`npm run build`). Run: `npx tsx bench/listing.ts [warm loads] [typing rounds]`.
 */
import type { Browser, Page } from '@playwright/test';
import { Stack } from '../e2e/stack';
import { launchChromium, signedInContext } from './support/browser';
import { median, quantile } from './support/stats';

const WARM_LOADS = Number(process.argv[2] ?? 15);
const TYPING_ROUNDS = Number(process.argv[3] ?? 4);
const QUERY = 'oidc-globex';
const ACME = 'con_Q7tLk2vMx9RbW4sE';

interface Figures {
  coldProgress: number | null;
  coldFirstRow: number;
  fcp: number[];
  firstRow: number[];
  interactive: number[];
  keystrokes: number[];
  rows: string;
}

/** Milliseconds since navigation start when the element marked `elementtiming={identifier}` was first painted. */
async function paintOf(page: Page, identifier: string): Promise<number> {
  return page.evaluate(
    (wanted) =>
      new Promise<number>((resolve) => {
        new PerformanceObserver((list) => {
          for (const item of list.getEntries() as Array<
            PerformanceEntry & { identifier?: string; renderTime?: number }
          >) {
            if (item.identifier === wanted) resolve(item.renderTime || item.startTime);
          }
        }).observe({ type: 'element', buffered: true });
      }),
    identifier,
  );
}

/** Like paintOf, for an element that may never have been painted on this page (null then). */
async function paintIfAny(page: Page, identifier: string): Promise<number | null> {
  return page.evaluate(
    (wanted) =>
      new Promise<number | null>((resolve) => {
        setTimeout(() => resolve(null), 500);
        new PerformanceObserver((list) => {
          for (const item of list.getEntries() as Array<
            PerformanceEntry & { identifier?: string; renderTime?: number }
          >) {
            if (item.identifier === wanted) resolve(item.renderTime || item.startTime);
          }
        }).observe({ type: 'element', buffered: true });
      }),
    identifier,
  );
}

async function mark(page: Page, name: string): Promise<number> {
  await page.waitForFunction((markName) => performance.getEntriesByName(markName).length > 0, name);
  return page.evaluate((markName) => performance.getEntriesByName(markName)[0]?.startTime ?? Number.NaN, name);
}

interface Tenant {
  label: string;
  stack: Stack;
  page: Page;
  figures: Figures;
}

async function open(browser: Browser, label: string, connections: number, app: number, emulator: number) {
  const stack = await Stack.start({ ports: { app, emulator }, connections });
  // Land on a connection page, not on `/`: the list must still be cold on the server.
  const context = await signedInContext(browser, stack.appUrl, 'alice@example.com', `/connections/${ACME}`);
  // Load `/`'s code into the fresh server without listing: carol has no role, so the page stops at its
  // permission check. The cold figures then measure the listing, not the server's first request.
  const nobody = await signedInContext(browser, stack.appUrl, 'carol@example.com', '/');
  await nobody.close();
  const figures: Figures = {
    coldProgress: null,
    coldFirstRow: Number.NaN,
    fcp: [],
    firstRow: [],
    interactive: [],
    keystrokes: [],
    rows: '',
  };
  return { label, stack, page: await context.newPage(), figures };
}

async function cold({ stack, page, figures }: Tenant): Promise<void> {
  await page.goto(`${stack.appUrl}/`, { waitUntil: 'commit' });
  await page.locator('tbody tr[aria-rowindex="2"]').waitFor({ timeout: 120_000 });
  figures.coldFirstRow = await paintOf(page, 'keyshift-first-row');
  // None: the list was ready before the first paint (a small tenant), so there was no progress to show.
  figures.coldProgress = await paintIfAny(page, 'keyshift-progress');
  await page.waitForLoadState('networkidle');
}

async function warmLoad({ stack, page, figures }: Tenant, record: boolean): Promise<void> {
  await page.goto(`${stack.appUrl}/`);
  const row = await paintOf(page, 'keyshift-first-row');
  const ready = await mark(page, 'keyshift:list-interactive');
  const paint = await page.evaluate(
    () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
  );
  // Let the whole list (fetched right after the preview) and the key lookups land before anything else runs.
  await page.waitForLoadState('networkidle');
  if (!record) return;
  figures.fcp.push(paint);
  figures.firstRow.push(row);
  figures.interactive.push(ready);
  figures.rows = (await page.locator('p[aria-live="polite"]').first().textContent()) ?? '';
}

async function typeQuery({ page, figures }: Tenant): Promise<void> {
  const search = page.getByLabel('Search connections');
  await search.fill('');
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
  await page.evaluate(() => performance.clearMeasures('keyshift:search'));
  await search.pressSequentially(QUERY, { delay: 120 });
  await page.getByRole('table').getByRole('link', { name: QUERY }).waitFor();
  await page.waitForTimeout(300);
  figures.keystrokes.push(
    ...(await page.evaluate(() => performance.getEntriesByName('keyshift:search').map((entry) => entry.duration))),
  );
}

const browser = await launchChromium();
const tenants: Tenant[] = [];
try {
  // Both stacks run side by side; loads and typing alternate between them so that drift hits both alike.
  tenants.push(await open(browser, '13', 0, 3214, 4214));
  tenants.push(await open(browser, '10,013', 10_000, 3215, 4215));
  for (const tenant of tenants) await cold(tenant);
  for (let load = 0; load < WARM_LOADS + 1; load++) {
    // The first warm load only fills the browser's HTTP cache with the scripts.
    for (const tenant of tenants) await warmLoad(tenant, load > 0);
  }
  for (let round = 0; round < TYPING_ROUNDS; round++) for (const tenant of tenants) await typeQuery(tenant);
} finally {
  await browser.close();
  await Promise.all(tenants.map((tenant) => tenant.stack.stop()));
}
const [small, large] = tenants.map((tenant) => tenant.figures) as [Figures, Figures];

const fmt = (value: number | null) => (value === null || Number.isNaN(value) ? '—' : value.toFixed(1));
const ratio = (a: number | null, b: number | null) => (a && b ? `${(b / a).toFixed(2)}x` : '—');
const row = (label: string, a: number | null, b: number | null) =>
  console.log(`${label.padEnd(44)} ${fmt(a).padStart(10)} ${fmt(b).padStart(10)} ${ratio(a, b).padStart(8)}`);

console.log(
  `connection list, Chromium 1280x800, ${WARM_LOADS} warm loads and ${TYPING_ROUNDS}×"${QUERY}" typed per tenant`,
);
console.log(
  `${'ms (median unless noted)'.padEnd(44)} ${'13 conns'.padStart(10)} ${'10,013'.padStart(10)} ${'ratio'.padStart(8)}`,
);
row('cold /: progress painted (1 sample)', small.coldProgress, large.coldProgress);
row('cold /: first row painted (1 sample)', small.coldFirstRow, large.coldFirstRow);
row('warm /: first contentful paint', median(small.fcp), median(large.fcp));
row('warm /: first row painted (first useful paint)', median(small.firstRow), median(large.firstRow));
row('warm /: list interactive (hydrated)', median(small.interactive), median(large.interactive));
row('search: keystroke → rows painted, median', median(small.keystrokes), median(large.keystrokes));
row('search: keystroke → rows painted, p95', quantile(small.keystrokes, 0.95), quantile(large.keystrokes, 0.95));
row('search: keystroke → rows painted, max', Math.max(...small.keystrokes), Math.max(...large.keystrokes));
console.log(`keystrokes measured: ${small.keystrokes.length} and ${large.keystrokes.length}`);
console.log(`list shown: "${small.rows}" and "${large.rows}"`);
