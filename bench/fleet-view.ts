/**
 * The fleet page at 10,000 rows against 13, side by side in one Chromium, loads and sorts alternating between them:
 *   - first paint: first contentful paint, and the first row's name painted (Element Timing), of a warm load;
 *   - a sort: a click on the "Connection" column header until the next frame is painted (sorting every row in the
 *     browser and rendering the rows on screen).
 * Each stack runs on PostgreSQL with the inventory filler off, its `key_inventory` written here first (rows as the
 * filler writes them), so both pages read exactly N rows. Needs a build and PostgreSQL at 127.0.0.1:5432.
 * Run: `npx tsx bench/fleet-view.ts [loads=10] [sorts=10]`.
 */
import type { Page } from '@playwright/test';
import { Stack } from '../e2e/stack';
import { resolveServerOnlyAsServer } from '../scripts/server-only-condition';
import { launchChromium, signedInContext } from './support/browser';
import { median } from './support/stats';

const LOADS = Number(process.argv[2] ?? 10);
const SORTS = Number(process.argv[3] ?? 10);
const DOMAIN = 'demo-tenant.local';
const DAY = 86_400_000;

async function seed(databaseUrl: string, count: number): Promise<void> {
  resolveServerOnlyAsServer();
  const { openAuditStore } = await import('../lib/audit/store');
  const store = await openAuditStore({ databaseUrl });
  const now = Date.now();
  const rows = Array.from({ length: count }, (_, n) => {
    const since = new Date(now - ((n * 37) % 500) * DAY);
    const notAfter = new Date(since.getTime() + 365 * DAY);
    const kid = `kid-${n.toString(36)}-${(n * 7919).toString(36)}`;
    return {
      tenant: DOMAIN,
      connectionId: `con_bench${String(n).padStart(6, '0')}`,
      connectionName: `${n % 2 ? 'okta' : 'oidc'}-customer-${String(n).padStart(5, '0')}`,
      strategy: n % 2 ? 'okta' : 'oidc',
      keysState: 'provisioned' as const,
      keys: [],
      currentKid: kid,
      currentAlgorithm: n % 7 === 0 ? 'ES256' : 'RS256',
      currentSince: since,
      currentNotAfter: notAfter,
      nextKid: `${kid}-next`,
      nextNotAfter: notAfter,
      checkedAt: new Date(now - (n % 3600) * 1000),
      staleSince: null,
      error: null,
    };
  });
  await store.saveInventory(rows);
  await store.close();
}

interface Figures {
  fcp: number[];
  firstRow: number[];
  sort: number[];
}

async function open(count: number, app: number, emulator: number) {
  const stack = await Stack.start({ ports: { app, emulator }, postgres: true, appEnv: { KEYSHIFT_INVENTORY: 'off' } });
  if (!stack.databaseUrl) throw new Error('the stack has no PostgreSQL database');
  await seed(stack.databaseUrl, count);
  return { count, stack, figures: { fcp: [], firstRow: [], sort: [] } as Figures };
}

async function load(page: Page, url: string, figures: Figures, record: boolean): Promise<void> {
  await page.goto(url);
  await page.getByRole('table', { name: 'Fleet' }).locator('tbody tr[aria-rowindex="2"]').waitFor();
  const [fcp, firstRow] = await page.evaluate(
    () =>
      new Promise<[number, number]>((resolve) => {
        const paint = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as Array<
            PerformanceEntry & { identifier?: string; renderTime?: number }
          >) {
            if (entry.identifier === 'keyshift-fleet-first-row') resolve([paint, entry.renderTime || entry.startTime]);
          }
        }).observe({ type: 'element', buffered: true });
      }),
  );
  if (!record) return;
  figures.fcp.push(fcp);
  figures.firstRow.push(firstRow);
}

/** Click → the next frame painted after React rendered the sorted rows. */
async function sort(page: Page, figures: Figures): Promise<void> {
  const ms = await page.evaluate(async () => {
    const button = [...document.querySelectorAll('table[aria-label="Fleet"] th button')].find((element) =>
      element.textContent?.startsWith('Connection'),
    ) as HTMLButtonElement;
    const start = performance.now();
    button.click();
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    return performance.now() - start;
  });
  figures.sort.push(ms);
}

const browser = await launchChromium();
const tenants: Awaited<ReturnType<typeof open>>[] = [];
try {
  tenants.push(await open(13, 3216, 4216));
  tenants.push(await open(10_000, 3217, 4217));
  const pages = await Promise.all(
    tenants.map(async (tenant) => {
      const context = await signedInContext(browser, tenant.stack.appUrl, 'alice@example.com', '/demo-tenant/fleet');
      return context.newPage();
    }),
  );
  for (let round = 0; round <= LOADS; round++) {
    // Round 0 fills the browser's HTTP cache with the scripts: not counted.
    for (const [index, tenant] of tenants.entries()) {
      await load(pages[index] as Page, `${tenant.stack.appUrl}/demo-tenant/fleet`, tenant.figures, round > 0);
    }
  }
  for (let round = 0; round < SORTS; round++) {
    for (const [index, tenant] of tenants.entries()) await sort(pages[index] as Page, tenant.figures);
  }
} finally {
  await browser.close();
  await Promise.all(tenants.map((tenant) => tenant.stack.stop()));
}

const [small, large] = tenants.map((tenant) => tenant.figures) as [Figures, Figures];
const row = (label: string, a: number[], b: number[]) => {
  const [ma, mb] = [median(a), median(b)];
  console.log(`| ${label} | ${ma.toFixed(1)} | ${mb.toFixed(1)} | ${(mb / ma).toFixed(2)}x |`);
};
console.log(`Fleet page, medians of ${LOADS} warm loads and ${SORTS} sorts each (ms):`);
console.log('| figure | 13 rows | 10,000 rows | ratio |');
console.log('|---|---|---|---|');
row('first contentful paint', small.fcp, large.fcp);
row('first row painted', small.firstRow, large.firstRow);
row('sort by name (click → next frame)', small.sort, large.sort);
