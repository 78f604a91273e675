import { expect, test } from '@playwright/test';
import { Stack } from './stack';

/**
 * The audit trail's anchors outside the database, on a real `next start` with the embedded database: the head in
 * the server's log every N events and at shutdown, and `npm run audit:verify` while the dashboard holds PGlite.
 */
let stack: Stack;
test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await Stack.start({ slot: 4, appEnv: { KEYSHIFT_AUDIT_CHECKPOINT_EVERY: '2' } });
});
test.afterAll(async () => stack?.stop());

const checkpoints = () =>
  stack
    .serverLogs()
    .split('\n')
    .filter((line) => line.includes('"keyshift":"audit-checkpoint"'))
    .map((line) => JSON.parse(line) as { id: number; hash: string });

test('audit:verify checks the running dashboard’s PGlite, and the server logs the head every 2 events and on SIGTERM', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  await stack.signIn(browser, 'alice@example.com');
  await stack.signIn(browser, 'bob@example.com');

  const verified = await stack.verifyAudit();
  expect(verified.output).toMatch(
    /is open in process \d+: asking it to verify\.\nAudit chain OK: 2 events \(head #\d+ [0-9a-f]{64}\)/,
  );
  expect(verified.code).toBe(0);
  const [, id, hash] = /head #(\d+) ([0-9a-f]{64})/.exec(verified.output) ?? [];
  const head = { id: Number(id), hash };
  expect(checkpoints()).toEqual([expect.objectContaining(head)]);

  await stack.stopApp(0);
  expect(checkpoints()).toEqual([expect.objectContaining(head), expect.objectContaining(head)]);
});
