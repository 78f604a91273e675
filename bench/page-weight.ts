/**
 * The JavaScript each page makes a browser load (gzip), against a bare Next.js page (one heading, same Next and
 * React) built and served in the same run: what Keyshift adds on top of the framework's own runtime.
 * Needs a build of Keyshift (`npm run build`). Run: `npx tsx bench/page-weight.ts`.
 * The budget that e2e/page-weight.spec.ts enforces lives in bench/page-weight-budget.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kb, type PageWeight, pageWeightBudget, weighPage } from '../e2e/page-weight';
import { Stack } from '../e2e/stack';
import { startBareNext } from './support/bare-next';
import { launchChromium, signedInContext } from './support/browser';

const ACME = 'con_Q7tLk2vMx9RbW4sE';
const distDir = process.env.NEXT_DIST_DIR ?? '.next';

async function weighBarePage(): Promise<PageWeight> {
  const bare = await startBareNext(3219);
  try {
    const browser = await launchChromium();
    try {
      return await weighPage(await (await browser.newContext()).newPage(), bare.url);
    } finally {
      await browser.close();
    }
  } finally {
    await bare.stop();
  }
}

function auditBuilt(): boolean {
  const routes = join(distDir, 'app-path-routes-manifest.json');
  if (!existsSync(routes)) return false;
  return Object.values(JSON.parse(readFileSync(routes, 'utf8')) as Record<string, string>).includes('/audit');
}

const bare = await weighBarePage();
const stack = await Stack.start({ ports: { app: 3217, emulator: 4217 }, connections: 0 });
const rows: Array<[string, PageWeight | null]> = [];
try {
  const browser = await launchChromium();
  try {
    const signedIn = await signedInContext(browser, stack.appUrl, 'alice@example.com', `/connections/${ACME}`);
    const storageState = await signedIn.storageState();
    const pages: Array<[string, string | null]> = [
      ['/', '/'],
      ['/connections/[id]', `/connections/${ACME}`],
      ['/audit', auditBuilt() ? '/audit' : null],
    ];
    for (const [label, path] of pages) {
      if (!path) {
        rows.push([label, null]);
        continue;
      }
      // A new context per page: an empty cache, so shared chunks count for every page that needs them.
      const context = await browser.newContext({ storageState });
      rows.push([label, await weighPage(await context.newPage(), `${stack.appUrl}${path}`)]);
      await context.close();
    }
  } finally {
    await browser.close();
  }
} finally {
  await stack.stop();
}

console.log('JavaScript loaded per page (gzip level 6), against a bare Next.js page built in this run');
console.log(
  `${'page'.padEnd(20)} ${'scripts'.padStart(7)} ${'gzip JS'.padStart(10)} ${'raw JS'.padStart(10)} ${'vs bare'.padStart(9)} ${'added'.padStart(10)} ${'gzip HTML'.padStart(10)}`,
);
const line = (label: string, weight: PageWeight | null) => {
  if (!weight) return console.log(`${label.padEnd(20)} not built yet`);
  console.log(
    `${label.padEnd(20)} ${String(weight.scripts).padStart(7)} ${kb(weight.gzipJs).padStart(10)} ${kb(weight.rawJs).padStart(10)} ${`${(weight.gzipJs / bare.gzipJs).toFixed(2)}x`.padStart(9)} ${kb(weight.gzipJs - bare.gzipJs).padStart(10)} ${kb(weight.gzipHtml).padStart(10)}`,
  );
};
line('bare Next.js page', bare);
for (const [label, weight] of rows) line(label, weight);
const budget = pageWeightBudget();
const budgets: Array<[string, number, number]> = [
  ['/', budget.homeGzipJsBytes, budget.measuredHomeGzipJsBytes],
  ['/connections/[id]', budget.connectionGzipJsBytes, budget.measuredConnectionGzipJsBytes],
];
for (const [label, limit, measured] of budgets) {
  const weight = rows.find(([row]) => row === label)?.[1];
  if (!weight) continue;
  const verdict = weight.gzipJs <= limit ? 'within' : 'OVER';
  console.log(
    `budget for ${label} (e2e/page-weight.spec.ts): ${limit} bytes, set from ${measured} + 10 %; it is ${weight.gzipJs} bytes now: ${verdict} (a budget from this run would be ${Math.ceil(weight.gzipJs * 1.1)})`,
  );
}
