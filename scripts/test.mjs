#!/usr/bin/env node
// Every suite, in order: Vitest (unit, contract, database), again on a second Node.js when KEYSHIFT_EXTRA_NODE names
// its binary (CI: Node 24), the type check of the whole repository, a production build and Playwright in Chromium,
// then the production install check (scripts/check-production-install.mjs).
// Ends with one plain line "N passed, N failed, N skipped" summing them; exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const totals = { passed: 0, failed: 0, skipped: 0 };
const notes = [];

function run(label, command, args) {
  console.log(`\n▶ ${label}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  return result.status ?? 1;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

rmSync('test-results', { recursive: true, force: true });
mkdirSync('test-results', { recursive: true });

/** One whole Vitest run with the given Node.js binary, its counts added to the totals under `label`. */
function vitestSuite(label, nodeBinary, report) {
  const status = run(label, nodeBinary, [
    'node_modules/vitest/vitest.mjs',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ]);
  const vitest = readJson(report);
  if (vitest) {
    totals.passed += vitest.numPassedTests;
    totals.failed += vitest.numFailedTests;
    totals.skipped += vitest.numPendingTests + vitest.numTodoTests;
    if (status !== 0 && vitest.numFailedTests === 0) {
      totals.failed += 1;
      notes.push(`Vitest (${label}) exited with an error outside any test (see above).`);
    }
  } else {
    totals.failed += 1;
    notes.push(`Vitest (${label}) did not produce a report.`);
  }
}

/** A suite that is one check: 1 passed or 1 failed, and `failure` said when it failed. */
function oneCheck(label, command, args, failure) {
  if (run(label, command, args) === 0) {
    totals.passed += 1;
  } else {
    totals.failed += 1;
    notes.push(failure);
  }
}

vitestSuite(`unit and contract tests on Node ${process.versions.node}`, process.execPath, 'test-results/vitest.json');

// CI fetches a second Node.js (.ci/run); a name that leads nowhere means that fetch failed, and that is a failure.
const extraNode = env.KEYSHIFT_EXTRA_NODE;
if (extraNode) {
  const version = spawnSync(extraNode, ['--version'], { encoding: 'utf8' }).stdout?.trim();
  if (version) {
    vitestSuite(
      `unit and contract tests on Node ${version.replace(/^v/, '')}`,
      extraNode,
      'test-results/vitest-extra-node.json',
    );
  } else {
    totals.failed += 1;
    notes.push(`No Node.js runs at KEYSHIFT_EXTRA_NODE=${extraNode}: the unit tests on that Node did not run.`);
  }
}

oneCheck(
  'type check of the whole repository',
  process.execPath,
  ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.'],
  'The type check (tsc --noEmit -p .) failed (see above).',
);

const chromium = env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  totals.failed += 1;
  notes.push(`No Chromium at ${chromium}: end-to-end tests cannot run (apt-get install chromium).`);
} else if (run('production build', 'node', ['node_modules/next/dist/bin/next', 'build']) !== 0) {
  totals.failed += 1;
  notes.push('The production build failed, so the end-to-end tests did not run.');
} else {
  const status = run('end-to-end tests (Chromium)', 'node', ['node_modules/@playwright/test/cli.js', 'test']);
  const report = readJson('test-results/playwright.json');
  if (report?.stats) {
    totals.passed += report.stats.expected + report.stats.flaky;
    totals.failed += report.stats.unexpected;
    totals.skipped += report.stats.skipped;
    if (status !== 0 && report.stats.unexpected === 0) {
      totals.failed += 1;
      notes.push('Playwright exited with an error outside any test (see above).');
    }
  } else {
    totals.failed += 1;
    notes.push('Playwright did not produce a report.');
  }
}

oneCheck(
  'production install: npm ci --omit=dev, next build, next start',
  process.execPath,
  ['scripts/check-production-install.mjs'],
  'A production install (npm ci --omit=dev) does not build and start Keyshift (see above).',
);

for (const note of notes) console.log(`! ${note}`);
if (existsSync('test-results/skipped.txt')) process.stdout.write(readFileSync('test-results/skipped.txt', 'utf8'));
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
