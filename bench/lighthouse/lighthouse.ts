/**
 * Lighthouse 12.8.2 (the last line that runs on Node 20) in Debian's Chromium, signed in as alice: performance and
 * accessibility of `/` and a connection page on the demo tenant, and of `/` at 10,000 connections, with Lighthouse's
 * mobile defaults (simulated slow 4G, 4x CPU slowdown) and its desktop preset. Each figure is the median of `runs`.
 * A bare Next.js page (same Next and React), built in the same run, is audited alike for comparison.
 * Lighthouse brings some 200 packages for this bench alone, so it is not in Keyshift's install: it has its own
 * package.json and lock beside this file. Needs a build (`npm run build`). Run, from the repository's root:
 *   npm ci --prefix bench/lighthouse && npx tsx bench/lighthouse/lighthouse.ts [runs]
 * and type-check it, once installed, with `npx tsc --noEmit -p bench/lighthouse`.
 */
import { chromium } from '@playwright/test';
import lighthouse, { desktopConfig } from 'lighthouse';
import { Stack } from '../../e2e/stack';
import { startBareNext } from '../support/bare-next';
import { CHROMIUM, cookieHeader, launchChromium, signedInContext } from '../support/browser';
import { median } from '../support/stats';

const RUNS = Number(process.argv[2] ?? 3);
const ACME = 'con_Q7tLk2vMx9RbW4sE';

interface Scores {
  performance: number;
  accessibility: number;
  fcp: number;
  lcp: number;
  tbt: number;
  cls: number;
}

async function audit(url: string, cookie: string | null, port: number, preset: 'mobile' | 'desktop'): Promise<Scores> {
  const result = await lighthouse(
    url,
    { port, output: 'json', logLevel: 'error', ...(cookie ? { extraHeaders: { Cookie: cookie } } : {}) },
    preset === 'desktop'
      ? { ...desktopConfig, settings: { ...desktopConfig.settings, onlyCategories: ['performance', 'accessibility'] } }
      : { extends: 'lighthouse:default', settings: { onlyCategories: ['performance', 'accessibility'] } },
  );
  const lhr = result?.lhr;
  if (!lhr) throw new Error(`Lighthouse returned nothing for ${url}`);
  if (lhr.runtimeError) throw new Error(`Lighthouse failed on ${url}: ${lhr.runtimeError.message}`);
  const metric = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
  return {
    performance: Math.round((lhr.categories.performance?.score ?? 0) * 100),
    accessibility: Math.round((lhr.categories.accessibility?.score ?? 0) * 100),
    fcp: metric('first-contentful-paint'),
    lcp: metric('largest-contentful-paint'),
    tbt: metric('total-blocking-time'),
    cls: metric('cumulative-layout-shift'),
  };
}

type Row = [string, Record<'mobile' | 'desktop', Scores>];

const middle = (list: Scores[]): Scores => ({
  performance: median(list.map((s) => s.performance)),
  accessibility: median(list.map((s) => s.accessibility)),
  fcp: median(list.map((s) => s.fcp)),
  lcp: median(list.map((s) => s.lcp)),
  tbt: median(list.map((s) => s.tbt)),
  cls: median(list.map((s) => s.cls)),
});

/** Lighthouse drives a browser over its DevTools port; Playwright only starts it. */
async function auditPages(targets: Array<[string, string]>, cookie: string | null): Promise<Row[]> {
  const port = 9231;
  const chrome = await chromium.launch({ ...CHROMIUM, args: [...CHROMIUM.args, `--remote-debugging-port=${port}`] });
  const rows: Row[] = [];
  try {
    for (const [label, url] of targets) {
      const scores = { mobile: [] as Scores[], desktop: [] as Scores[] };
      for (let run = 0; run < RUNS; run++) {
        for (const preset of ['mobile', 'desktop'] as const)
          scores[preset].push(await audit(url, cookie, port, preset));
      }
      rows.push([label, { mobile: middle(scores.mobile), desktop: middle(scores.desktop) }]);
    }
  } finally {
    await chrome.close();
  }
  return rows;
}

async function auditTenant(connections: number, paths: Array<[string, string]>): Promise<Row[]> {
  const stack = await Stack.start({ ports: { app: 3218, emulator: 4218 }, connections });
  try {
    const browser = await launchChromium();
    const context = await signedInContext(browser, stack.appUrl, 'alice@example.com', `/connections/${ACME}`);
    const cookie = cookieHeader(await context.cookies(stack.appUrl));
    // Warm the server's list cache, as any earlier visitor would have.
    const page = await context.newPage();
    await page.goto(`${stack.appUrl}/`);
    await page.getByRole('table').waitFor({ timeout: 60_000 });
    await browser.close();
    return await auditPages(
      paths.map(([label, path]) => [label, `${stack.appUrl}${path}`]),
      cookie,
    );
  } finally {
    await stack.stop();
  }
}

async function auditBare(): Promise<Row[]> {
  const bare = await startBareNext(3219);
  try {
    return await auditPages([['bare Next.js page', bare.url]], null);
  } finally {
    await bare.stop();
  }
}

const rows = [
  ...(await auditBare()),
  ...(await auditTenant(0, [
    ['/ (13 connections)', '/'],
    ['/connections/[id]', `/connections/${ACME}`],
  ])),
  ...(await auditTenant(10_000, [['/ (10,013 connections)', '/']])),
];

console.log(`Lighthouse 12.8.2, Chromium ${CHROMIUM.executablePath}, signed in, median of ${RUNS} runs`);
console.log(
  `${'page'.padEnd(24)} ${'preset'.padEnd(8)} ${'perf'.padStart(5)} ${'a11y'.padStart(5)} ${'FCP ms'.padStart(8)} ${'LCP ms'.padStart(8)} ${'TBT ms'.padStart(7)} ${'CLS'.padStart(6)}`,
);
for (const [label, presets] of rows) {
  for (const preset of ['mobile', 'desktop'] as const) {
    const s = presets[preset];
    console.log(
      `${label.padEnd(24)} ${preset.padEnd(8)} ${String(s.performance).padStart(5)} ${String(s.accessibility).padStart(5)} ${s.fcp.toFixed(0).padStart(8)} ${s.lcp.toFixed(0).padStart(8)} ${s.tbt.toFixed(0).padStart(7)} ${s.cls.toFixed(3).padStart(6)}`,
    );
  }
}
console.log('aim: performance 95+, accessibility 100');
