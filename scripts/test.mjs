#!/usr/bin/env node
// Every suite, in order: Vitest (unit, contract, database), then a production build and Playwright in Chromium.
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

const vitestStatus = run('unit and contract tests', 'node', [
  'node_modules/vitest/vitest.mjs',
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile.json=test-results/vitest.json',
]);
const vitest = readJson('test-results/vitest.json');
if (vitest) {
  totals.passed += vitest.numPassedTests;
  totals.failed += vitest.numFailedTests;
  totals.skipped += vitest.numPendingTests + vitest.numTodoTests;
  if (vitestStatus !== 0 && vitest.numFailedTests === 0) {
    totals.failed += 1;
    notes.push('Vitest exited with an error outside any test (see above).');
  }
} else {
  totals.failed += 1;
  notes.push('Vitest did not produce a report.');
}

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

for (const note of notes) console.log(`! ${note}`);
if (existsSync('test-results/skipped.txt')) process.stdout.write(readFileSync('test-results/skipped.txt', 'utf8'));
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
