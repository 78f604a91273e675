import { expect, type Page, test } from '@playwright/test';
import { confirmRotation } from './rotate-dialog';
import { SEED } from './seed';
import { type AuditRow, eventually, requirePostgres, Stack } from './stack';

/**
 * Every upstream fault the rotation must survive, through the real dialog as alice, on a stack of its own whose
 * audit lives in PostgreSQL (read here while the app runs). Auth0 calls time out after 3 s on this stack
 * (AUTH0_TIMEOUT_SECONDS), so the timeout rows take seconds, not the production 15.
 */
const TIMEOUT_SECONDS = 3;
const ROTATE = 'POST /api/v2/connections/{id}/keys/rotate';
const TOKEN = 'POST /oauth/token';
const CONNECTION = SEED.hooli;

type Seen = { rotated: true; settledByReadBack: boolean } | { rotated: false; sentence: RegExp };
interface Row {
  fault: string;
  /** Armed after the dialog is filled in, just before the click. */
  arm(stack: Stack): Promise<void>;
  /** Run once the click has sent the rotate on its way (the request is inside the emulator). */
  whileInFlight?(stack: Stack): Promise<void>;
  seen: Seen;
  /** The outcome event for this attempt; null when nothing may be recorded (no rotation was requested). */
  outcome: {
    type: 'rotation.succeeded' | 'rotation.failed';
    status?: number;
    errorCode?: string;
    message?: RegExp;
  } | null;
  rotations: 0 | 1;
  /** How many rotate requests the emulator may see (a 429 or a 401 is followed by exactly one more). */
  rotateCalls: number;
}

const onRotate = (fault: Record<string, unknown>) => (stack: Stack) =>
  stack.fault({ route: ROTATE, ...fault }).then(() => undefined);
const NOTHING_CHANGED = 'shows nothing changed; the keys are as they were.';
const SECOND_LOOK = `right away and again ${TIMEOUT_SECONDS} s later ${NOTHING_CHANGED}`;
const expireTokens = (stack: Stack) => stack.fault({ kind: 'expire-tokens' }).then(() => undefined);
const tokenEndpointDown = async (stack: Stack) => {
  await expireTokens(stack);
  await stack.fault({ route: TOKEN, kind: 'status', status: 503, count: 5 });
};

const ROWS: Row[] = [
  {
    fault: '429 with x-ratelimit-reset (once)',
    arm: onRotate({ kind: 'status', status: 429 }),
    seen: { rotated: true, settledByReadBack: false },
    outcome: { type: 'rotation.succeeded', status: 201, message: /rate limit was reached first \(nothing changed\)/ },
    rotations: 1,
    rotateCalls: 2,
  },
  {
    fault: '429 with x-ratelimit-reset (again after the reset)',
    arm: onRotate({ kind: 'status', status: 429, count: 2 }),
    seen: {
      rotated: false,
      sentence: /^Auth0’s rate limit was reached\. Try again after \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\.$/,
    },
    outcome: { type: 'rotation.failed', status: 429, errorCode: 'auth0:rate_limited' },
    rotations: 0,
    rotateCalls: 2,
  },
  {
    fault: '500 before anything happened',
    arm: onRotate({ kind: 'status', status: 500 }),
    seen: {
      rotated: false,
      sentence: new RegExp(`^Auth0 failed with status 500\\. Reading the keys back ${NOTHING_CHANGED}$`),
    },
    outcome: { type: 'rotation.failed', status: 500, errorCode: 'auth0:upstream' },
    rotations: 0,
    rotateCalls: 1,
  },
  {
    fault: '503 before anything happened',
    arm: onRotate({ kind: 'status', status: 503 }),
    seen: {
      rotated: false,
      sentence: new RegExp(`^Auth0 failed with status 503\\. Reading the keys back ${NOTHING_CHANGED}$`),
    },
    outcome: { type: 'rotation.failed', status: 503, errorCode: 'auth0:upstream' },
    rotations: 0,
    rotateCalls: 1,
  },
  {
    fault: '500 after the rotation really happened',
    arm: onRotate({ kind: 'rotate-then-500' }),
    seen: { rotated: true, settledByReadBack: true },
    outcome: { type: 'rotation.succeeded', status: 500, message: /Reading the keys back shows the rotation happened/ },
    rotations: 1,
    rotateCalls: 1,
  },
  {
    fault: 'a timeout (Auth0 never answers, does nothing)',
    arm: onRotate({ kind: 'hang', ms: (TIMEOUT_SECONDS + 5) * 1000 }),
    seen: {
      rotated: false,
      sentence: new RegExp(`^Auth0 did not answer in time\\. Reading the keys back ${SECOND_LOOK}$`),
    },
    outcome: { type: 'rotation.failed', errorCode: 'auth0:timeout' },
    rotations: 0,
    rotateCalls: 1,
  },
  {
    fault: 'a timeout (Auth0 rotates 1 s after Keyshift gave up)',
    arm: onRotate({ kind: 'latency', ms: (TIMEOUT_SECONDS + 1) * 1000 }),
    seen: { rotated: true, settledByReadBack: true },
    outcome: { type: 'rotation.succeeded', errorCode: 'auth0:timeout', message: /shows the rotation happened/ },
    rotations: 1,
    rotateCalls: 1,
  },
  {
    fault: 'a dropped connection',
    arm: onRotate({ kind: 'drop' }),
    seen: {
      rotated: false,
      sentence: new RegExp(
        `^The connection to Auth0 was lost before it answered\\. Reading the keys back ${SECOND_LOOK}$`,
      ),
    },
    outcome: { type: 'rotation.failed', errorCode: 'auth0:unreachable' },
    rotations: 0,
    rotateCalls: 1,
  },
  {
    fault: 'malformed JSON (rotated, answer cut in half)',
    arm: onRotate({ kind: 'malformed-json' }),
    seen: { rotated: true, settledByReadBack: true },
    outcome: { type: 'rotation.succeeded', message: /shows the rotation happened/ },
    rotations: 1,
    rotateCalls: 1,
  },
  {
    fault: 'Management token revoked before the click',
    arm: expireTokens,
    seen: { rotated: true, settledByReadBack: false },
    outcome: { type: 'rotation.succeeded', status: 201 },
    rotations: 1,
    rotateCalls: 1,
  },
  {
    fault: 'Management token expired while the rotate was in flight (401)',
    arm: onRotate({ kind: 'latency', ms: 1_500 }),
    whileInFlight: expireTokens,
    seen: { rotated: true, settledByReadBack: false },
    outcome: { type: 'rotation.succeeded', status: 201 },
    rotations: 1,
    rotateCalls: 2,
  },
  {
    fault: 'token endpoint down (token revoked, renewal fails) before the click',
    arm: tokenEndpointDown,
    seen: {
      rotated: false,
      sentence:
        /^Keyshift could not get a Management API token from Auth0 \(its token endpoint answered 503\), so nothing changed in Auth0\. Try again in a minute; if it keeps failing, check Auth0’s status\.$/,
    },
    outcome: null,
    rotations: 0,
    rotateCalls: 0,
  },
  {
    fault: 'token endpoint down while the rotate was in flight (401, renewal fails)',
    arm: onRotate({ kind: 'latency', ms: 1_500 }),
    whileInFlight: tokenEndpointDown,
    seen: {
      rotated: false,
      sentence: /^Keyshift could not get a Management API token from Auth0 \(its token endpoint answered 503\)/,
    },
    outcome: { type: 'rotation.failed', errorCode: 'auth0:token_unavailable' },
    rotations: 0,
    rotateCalls: 1,
  },
];

let stack: Stack;
let aliceState: string;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  await requirePostgres('e2e/faults.spec.ts (upstream faults, audited outcomes)');
  stack = await Stack.start({ slot: 0, postgres: true, appEnv: { AUTH0_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS) } });
  const alice = await stack.signIn(browser, 'alice@example.com');
  aliceState = alice.storageState;
  // A cold server's first Auth0 calls (token, modules) are slow; the rows should meet only the faults they arm.
  const page = await fetch(`${stack.appUrls[0]}/connections/${CONNECTION.id}`, { headers: { cookie: alice.cookie } });
  expect(page.status).toBe(200);
});

test.afterAll(async () => {
  await stack?.stop();
});

async function fillDialog(page: Page) {
  await page.goto(`${stack.appUrls[0]}/connections/${CONNECTION.id}`);
  await page.getByRole('button', { name: 'Rotate keys' }).click();
  const dialog = page.getByRole('dialog', { name: `Rotate the keys of ${CONNECTION.name}` });
  await confirmRotation(dialog, CONNECTION.name);
  return dialog;
}

for (const row of ROWS) {
  test(`${row.fault}: ${row.seen.rotated ? 'rotated' : 'a clear sentence'}, audited as ${row.outcome?.type ?? 'nothing'}, ${row.rotations} rotation upstream`, async ({
    browser,
  }) => {
    const context = await browser.newContext({ storageState: aliceState });
    const page = await context.newPage();
    await stack.admin('POST', '/reset');
    const mark = await stack.lastAuditId();
    const dialog = await fillDialog(page);
    await stack.admin('DELETE', '/calls');
    await row.arm(stack);

    await dialog.getByRole('button', { name: 'Rotate keys' }).click();
    if (row.whileInFlight) {
      await eventually(async () => ((await stack.calls())[ROTATE] ? true : undefined), 5_000);
      await row.whileInFlight(stack);
    }

    // What the operator sees.
    let shown: string;
    if (row.seen.rotated) {
      const result = page.getByRole('region', { name: 'Keys rotated' });
      await expect(result).toBeVisible({ timeout: 20_000 });
      const settled = result.getByText('Auth0’s answer was lost; Keyshift read the keys back and confirmed');
      await expect(settled).toHaveCount(row.seen.settledByReadBack ? 1 : 0);
      shown = row.seen.settledByReadBack ? `Keys rotated — ${await settled.innerText()}` : 'Keys rotated';
    } else {
      const alert = dialog.getByRole('alert');
      await expect(alert).toBeVisible({ timeout: 20_000 });
      await expect(alert).toContainText('The keys were not rotated as asked.');
      shown = (await alert.locator('p').nth(1).innerText()).trim();
      expect(shown).toMatch(row.seen.sentence);
    }

    // What reached Auth0: at most one rotation, never two at once.
    const calls = await stack.calls();
    expect(calls.rotations[CONNECTION.id] ?? 0).toBe(row.rotations);
    expect(calls[ROTATE] ?? 0).toBe(row.rotateCalls);
    expect(calls.max_concurrent_rotations[CONNECTION.id] ?? 0).toBeLessThanOrEqual(1);

    // What the audit says.
    const events = await eventually(async () => {
      const found = await stack.auditEvents(mark, CONNECTION.id);
      return row.outcome === null || found.length >= 2 ? found : undefined;
    });
    const outcome = events[1] as AuditRow | undefined;
    if (row.outcome === null) {
      expect(events).toEqual([]);
    } else {
      expect(events.map((event) => event.type)).toEqual(['rotation.requested', row.outcome.type]);
      expect(outcome?.request_id).toBe(events[0]?.request_id);
      expect(outcome?.actor_email).toBe('alice@example.com');
      if (row.outcome.status !== undefined) expect(outcome?.status).toBe(row.outcome.status);
      if (row.outcome.errorCode !== undefined) expect(outcome?.error_code).toBe(row.outcome.errorCode);
      if (row.outcome.message) expect(outcome?.message).toMatch(row.outcome.message);
      if (!row.seen.rotated) expect(outcome?.message ?? outcome?.error_code).toBeTruthy();
    }
    test.info().annotations.push({
      type: 'fault table',
      description: `${row.fault} | ${shown} | ${outcome ? `${outcome.type}${outcome.error_code ? ` (${outcome.error_code})` : ''}` : 'no rotation event'} | ${row.rotations}`,
    });
    await context.close();
  });
}

test('the audit chain of every fault above verifies', async () => {
  const { code, output } = await stack.verifyAudit();
  expect(output).toMatch(/^Audit chain OK: \d+ events/);
  expect(code).toBe(0);
});
