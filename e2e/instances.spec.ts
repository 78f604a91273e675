import { expect, test } from '@playwright/test';
import { shownKids } from './kids';
import { SEED } from './seed';
import { actionResult, callServerAction } from './server-actions';
import { eventually, requirePostgres, type SignedIn, Stack } from './stack';

/**
 * Two app instances of the same build on one PostgreSQL, as production runs them: the per-connection lock must hold
 * across them, every request must leave a record, and a process killed mid-rotation must be settled on restart.
 * Bob is a rotator on this stack (AUTH_ROTATOR_EMAILS), so a refusal naming the other operator proves the lock was
 * held by the other instance.
 */
const ROTATE = 'POST /api/v2/connections/{id}/keys/rotate';
const TIMEOUT_SECONDS = 3;
const CONNECTION = SEED.stark;
// A fresh stack: nobody has recorded how the IdP learns keys, so the rotation acknowledges readiness `unknown` (the gate).
const rotateInput = {
  connectionId: CONNECTION.id,
  signingAlg: 'RS256',
  confirmName: CONNECTION.name,
  acknowledgedReadiness: 'unknown',
};

let stack: Stack;
let alice: SignedIn;
let bob: SignedIn;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  await requirePostgres('e2e/instances.spec.ts (two instances, one PostgreSQL; SIGKILL mid-rotation)');
  stack = await Stack.start({
    slot: 1,
    instances: 2,
    postgres: true,
    appEnv: { AUTH_ROTATOR_EMAILS: 'bob@example.com', AUTH0_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS) },
  });
  alice = await stack.signIn(browser, 'alice@example.com', 0);
  bob = await stack.signIn(browser, 'bob@example.com', 1);
  for (const [instance, user] of [alice, bob].entries()) {
    const warm = await fetch(`${stack.appUrls[instance]}/connections/${CONNECTION.id}`, {
      headers: { cookie: user.cookie },
    });
    expect(warm.status).toBe(200);
  }
});

test.afterAll(async () => {
  await stack?.stop();
});

const upstreamNext = async () => {
  const token = (await stack.admin('POST', '/tokens', { client_id: 'demo-readonly' })) as { access_token: string };
  const response = await fetch(`${stack.emulatorUrl}/api/v2/connections/${CONNECTION.id}/keys`, {
    headers: { authorization: `Bearer ${token.access_token}` },
  });
  const keys = (await response.json()) as { kid: string; current?: boolean; next?: boolean }[];
  return { current: keys.find((key) => key.current)?.kid, next: keys.find((key) => key.next)?.kid };
};

test('20 concurrent rotations of one connection through both instances: one at a time upstream, each audited', async () => {
  test.setTimeout(120_000);
  await stack.admin('POST', '/reset');
  const mark = await stack.lastAuditId();
  const send = async (instance: number, shown: { expectedCurrentKid: string; expectedNextKid: string }) => {
    const response = await callServerAction('rotateKeysAction', [{ ...rotateInput, ...shown }], {
      cookie: (instance === 0 ? alice : bob).cookie,
      baseUrl: stack.appUrls[instance],
    });
    return { instance, status: response.status, result: actionResult(response.text), text: response.text };
  };

  // Wave 1: Alice's rotation on instance 0 is held upstream (within the call timeout); once Auth0 has it, nine more
  // arrive on both instances, naming the same keys. They meet the lock (held by the other instance for those on
  // instance 1) or, landing after it, keys that are no longer those they name.
  await stack.fault({ route: ROTATE, kind: 'latency', ms: (TIMEOUT_SECONDS - 0.5) * 1000, count: 1 });
  const firstKids = await shownKids(stack.emulatorUrl, CONNECTION.id);
  const held = send(0, firstKids);
  await eventually(async () => ((await stack.calls())[ROTATE] ? true : undefined));
  const wave1 = await Promise.all([
    held,
    ...Array.from({ length: 9 }, (_, index) => send(index % 2 === 0 ? 1 : 0, firstKids)),
  ]);

  // Wave 2: ten at once, alternating instances, naming the keys as they are now: exactly one may rotate.
  const secondKids = await shownKids(stack.emulatorUrl, CONNECTION.id);
  const wave2 = await Promise.all(Array.from({ length: 10 }, (_, index) => send(index % 2, secondKids)));
  const responses = [...wave1, ...wave2];
  for (const response of responses) expect(response.result, response.text).toBeDefined();

  expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
  const rotated = responses.filter((response) => response.result?.ok);
  const refused = responses.filter((response) => !response.result?.ok);
  // Refused because the lock was held, or (having read the keys while another rotation was about to change them)
  // because the keys were no longer those it named.
  for (const { result } of refused) {
    expect([
      expect.objectContaining({
        code: 'conflict',
        message: expect.stringMatching(
          /^(Alice Rotator|Bob Viewer|another operator) is rotating this connection right now\./,
        ),
      }),
      expect.objectContaining({
        code: 'precondition_failed',
        message: expect.stringMatching(/^The keys changed since this page loaded/),
      }),
    ]).toContainEqual(result);
  }
  // One rotation a wave: the first to take the lock names the keys as they are; every other meets the lock or the
  // keys that rotation left.
  expect(wave1.filter((response) => response.result?.ok).map((response) => response.instance)).toEqual([0]);
  expect(wave2.filter((response) => response.result?.ok)).toHaveLength(1);
  expect(rotated).toHaveLength(2);
  expect(refused).toHaveLength(18);
  // Refused on one instance because the other held the lock: the lock is PostgreSQL's, not a process's.
  const crossInstance = refused.filter(
    ({ instance, result }) => result?.message?.startsWith(instance === 0 ? 'Bob Viewer' : 'Alice Rotator') === true,
  );
  expect(crossInstance.length).toBeGreaterThanOrEqual(1);

  // Upstream: exactly the rotations that were reported, never two of this connection in flight at once.
  const calls = await stack.calls();
  expect(calls.rotations[CONNECTION.id]).toBe(rotated.length);
  expect(calls[ROTATE]).toBe(rotated.length);
  expect(calls.max_concurrent_rotations[CONNECTION.id]).toBe(1);

  // The audit: 20 requests, each settled once; refusals recorded with the sentence the operator got.
  const events = await stack.auditEvents(mark, CONNECTION.id);
  const requested = events.filter((event) => event.type === 'rotation.requested');
  expect(requested).toHaveLength(20);
  const outcomes = events.filter((event) => event.type !== 'rotation.requested');
  expect(outcomes).toHaveLength(20);
  expect(new Set(outcomes.map((event) => event.request_id))).toEqual(
    new Set(requested.map((event) => event.request_id)),
  );
  const succeeded = outcomes.filter((event) => event.type === 'rotation.succeeded');
  const conflicts = outcomes.filter(
    (event) =>
      event.type === 'rotation.failed' &&
      (event.error_code === 'conflict' || event.error_code === 'precondition_failed'),
  );
  expect(succeeded).toHaveLength(rotated.length);
  expect(conflicts).toHaveLength(refused.length);
  for (const { result } of refused) {
    expect(conflicts.find((event) => event.request_id === result?.requestId)?.message).toBe(result?.message);
  }
  // The successes chain: each new key distinct, the last one is Auth0's next key now.
  expect(new Set(succeeded.map((event) => event.new_kid)).size).toBe(succeeded.length);
  expect(succeeded.at(-1)?.new_kid).toBe((await upstreamNext()).next);

  const verified = await stack.verifyAudit();
  expect(verified.output).toMatch(/^Audit chain OK: \d+ events/);
  test.info().annotations.push({
    type: 'concurrency',
    description: `${rotated.length} rotated, ${refused.length} refused (${crossInstance.length} by the other instance's lock), max ${calls.max_concurrent_rotations[CONNECTION.id]} in flight upstream`,
  });
});

for (const scenario of [
  {
    name: 'Auth0 carried the rotation out',
    // The request reaches Auth0, which acts after 4 s whatever happened to the caller.
    fault: { kind: 'latency', ms: 4_000 },
    outcome: 'rotation.succeeded',
    message: 'Keyshift stopped before recording the outcome; reading the keys back shows the rotation happened.',
    rotations: 1,
  },
  {
    name: 'Auth0 never acted',
    fault: { kind: 'hang', ms: 5_000 },
    outcome: 'rotation.failed',
    message: 'Keyshift stopped before recording the outcome; reading the keys back shows the keys did not change.',
    rotations: 0,
  },
]) {
  test(`SIGKILL mid-rotation (${scenario.name}): the restarted instance settles it by reading the keys back`, async ({
    browser,
  }) => {
    test.setTimeout(120_000);
    await stack.admin('POST', '/reset');
    const before = await upstreamNext();
    const mark = await stack.lastAuditId();
    await stack.fault({ route: ROTATE, ...scenario.fault });
    const shown = { expectedCurrentKid: before.current, expectedNextKid: before.next };
    const inFlight = callServerAction('rotateKeysAction', [{ ...rotateInput, ...shown }], {
      cookie: alice.cookie,
      baseUrl: stack.appUrls[0],
    }).catch((error: unknown) => error);
    await eventually(async () => ((await stack.calls())[ROTATE] ? true : undefined));
    const [requested, ...rest] = await stack.auditEvents(mark, CONNECTION.id);
    expect(requested?.type).toBe('rotation.requested');
    expect(rest).toEqual([]);

    await stack.killApp(0);
    expect(await inFlight).toBeInstanceOf(Error); // the browser's request died with the process
    expect(await stack.auditEvents(mark, CONNECTION.id)).toHaveLength(1);

    // Restarted at once, while Auth0 may still be working: settling waits until the request is surely over.
    await stack.startApp(0);
    const outcome = await eventually(
      async () => (await stack.auditEvents(mark, CONNECTION.id)).find((event) => event.type !== 'rotation.requested'),
      30_000,
    );
    expect(outcome).toMatchObject({
      type: scenario.outcome,
      request_id: requested?.request_id,
      message: scenario.message,
    });
    expect((await stack.calls()).rotations[CONNECTION.id] ?? 0).toBe(scenario.rotations);
    const after = await upstreamNext();
    if (scenario.rotations === 1) {
      expect(after.current).toBe(before.next);
      expect(outcome.new_kid).toBe(after.next);
    } else {
      expect(after).toEqual(before);
    }

    // What alice sees on the restarted instance: the keys as Auth0 has them, and the settled outcome.
    const context = await browser.newContext({ storageState: alice.storageState });
    const page = await context.newPage();
    await page.goto(`${stack.appUrls[0]}/connections/${CONNECTION.id}`);
    const rows = page.getByRole('table', { name: /^Signing keys of / }).locator('tbody tr');
    const withStatus = (status: string) => rows.filter({ has: page.getByText(status, { exact: true }) });
    await expect(withStatus('next')).toContainText(after.next ?? '');
    await expect(withStatus('current')).toContainText(after.current ?? '');
    const recent = page.getByRole('list', { name: `Recent rotations of ${CONNECTION.name}` });
    if ((await recent.count()) > 0) {
      await expect(recent.getByRole('listitem').first()).toContainText(
        scenario.outcome === 'rotation.succeeded' ? 'Succeeded' : 'Failed',
      );
    }
    await context.close();
    expect((await stack.verifyAudit()).output).toMatch(/^Audit chain OK/);
  });
}
