import { expect, test } from '@playwright/test';
import { deferred } from '../lib/testing/deferred';
import { shownKids } from './kids';
import { SEED } from './seed';
import { type ActionOutcome, actionResult, callServerAction, serverActions } from './server-actions';
import { eventually, requirePostgres, type SignedIn, Stack } from './stack';

/**
 * What nobody may spend: the audit chain (anonymous requests add nothing to it) and the tenant's Auth0 rate limit
 * (one viewer's reads are throttled by Keyshift before the tenant's bucket runs dry). Either way a rotation started
 * meanwhile, or right after, goes through. Alice rotates; Bob is a viewer. Keyshift gives each user a read budget of
 * READ_BURST at once and READ_PER_SECOND after that.
 */
const CONNECTION = SEED.stark;
// A fresh stack: nobody has recorded how the IdP learns keys, so the rotation acknowledges readiness `unknown` (the gate).
const rotateInput = {
  connectionId: CONNECTION.id,
  signingAlg: 'RS256',
  confirmName: CONNECTION.name,
  acknowledgedReadiness: 'unknown',
};
const READ_BURST = 20;
const READ_PER_SECOND = 2;

let stack: Stack;
let alice: SignedIn;
let bob: SignedIn;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  await requirePostgres('e2e/budget.spec.ts (counts audit rows while the app runs)');
  stack = await Stack.start({
    slot: 6,
    postgres: true,
    appEnv: { KEYSHIFT_READ_RATE_LIMIT: `${READ_BURST}:${READ_PER_SECOND}` },
  });
  alice = await stack.signIn(browser, 'alice@example.com');
  bob = await stack.signIn(browser, 'bob@example.com');
  const warm = await fetch(`${stack.appUrls[0]}/connections/${CONNECTION.id}`, { headers: { cookie: alice.cookie } });
  expect(warm.status).toBe(200);
});

test.afterAll(async () => {
  await stack?.stop();
});

/** Runs `count` calls, `concurrency` at a time; `onAnswer` sees how many have been answered so far. */
async function pool<T>(
  count: number,
  concurrency: number,
  call: (index: number) => Promise<T>,
  onAnswer: (answered: number) => void = () => {},
): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  let answered = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await call(index);
        onAnswer(++answered);
      }
    }),
  );
  return results;
}

const refusedCounts = (logs: string) =>
  [...logs.matchAll(/refused (\d+) requests? without a session/g)].map((match) => Number(match[1]));

test('1,000 anonymous action POSTs add no audit row and are logged in a few lines; a rotation started meanwhile succeeds', async () => {
  test.setTimeout(150_000);
  const FLOOD = 1_000;
  const actions = [...serverActions().keys()];
  const mark = await stack.lastAuditId();
  const startedAt = Date.now();

  const underWay = deferred();
  let answered = 0;
  const flood = pool(
    FLOOD,
    20,
    async (index) => {
      const name = actions[index % actions.length] as string;
      const response = await callServerAction(name, [{}], { baseUrl: stack.appUrls[0] });
      return { name, status: response.status, result: actionResult(response.text) };
    },
    (count) => {
      answered = count;
      if (count === 100) underWay.resolve();
    },
  );
  await underWay.promise;
  const shown = await shownKids(stack.emulatorUrl, CONNECTION.id);
  const rotation = callServerAction('rotateKeysAction', [{ ...rotateInput, ...shown }], {
    cookie: alice.cookie,
    baseUrl: stack.appUrls[0],
  }).then((response) => ({ result: actionResult(response.text), text: response.text, answeredBy: answered }));
  const [refusals, rotated] = await Promise.all([flood, rotation]);
  const floodSeconds = (Date.now() - startedAt) / 1000;

  // Bounded: the flood is answered within a minute, and the rotation was made while it was still coming.
  expect(floodSeconds).toBeLessThan(60);
  expect(rotated.answeredBy).toBeLessThan(FLOOD);
  expect(rotated.result, rotated.text).toMatchObject({ ok: true });
  for (const { name, status, result } of refusals) {
    expect(status, name).toBe(200);
    expect(result, name).toMatchObject({ ok: false, code: 'unauthenticated' } satisfies Partial<ActionOutcome>);
  }

  // The audit holds the rotation and nothing of the flood; the chain verifies.
  const events = await stack.auditEvents(mark);
  expect(events.map((event) => [event.type, event.actor_email])).toEqual([
    ['rotation.requested', 'alice@example.com'],
    ['rotation.succeeded', 'alice@example.com'],
  ]);
  const verified = await stack.verifyAudit();
  expect(verified.code, verified.output).toBe(0);

  // The server logged the flood as counts, one line per 10 s at most, summing to every refusal.
  const counts = await eventually(async () => {
    const logged = refusedCounts(stack.serverLogs());
    return logged.reduce((sum, count) => sum + count, 0) === FLOOD ? logged : undefined;
  }, 15_000);
  expect(counts.length).toBeLessThanOrEqual(Math.ceil(floodSeconds / 10) + 2);
  test.info().annotations.push({
    type: 'flood',
    description: `${FLOOD} refusals in ${floodSeconds.toFixed(1)} s, logged as ${counts.length} line(s): ${counts.join(', ')}`,
  });
});

test('a viewer hammering key lookups is throttled by Keyshift before the tenant runs dry; a rotation right after succeeds', async () => {
  test.setTimeout(120_000);
  // The tenant's bucket: twice the user's burst, refilling twice as fast. Unthrottled, the lookups below would ask
  // for 270 key reads and empty it in the first few requests.
  await stack.admin('PUT', '/rate-limit', { capacity: 2 * READ_BURST, refillPerSecond: 2 * READ_PER_SECOND });
  await stack.admin('DELETE', '/calls');
  const ids = Object.values(SEED).map((connection) => connection.id);

  const answers = await pool(30, 3, async () => {
    const response = await callServerAction('connectionKeySummariesAction', [{ ids }], {
      cookie: bob.cookie,
      baseUrl: stack.appUrls[0],
    });
    return actionResult(response.text);
  });
  const served = answers.filter((answer) => answer?.ok);
  const throttled = answers.filter((answer) => answer?.code === 'rate_limited');
  expect(served.length + throttled.length).toBe(answers.length);
  expect(served.length).toBeGreaterThanOrEqual(Math.floor(READ_BURST / ids.length));
  expect(throttled.length).toBeGreaterThan(0);
  for (const answer of throttled) {
    expect(answer?.message).toMatch(/^You are making requests too quickly; try again in \d+ s\.$/);
  }
  // What Bob was served is real: no lookup met a 429 (which would read as "unknown").
  for (const answer of served) {
    const states = Object.values(answer?.data as Record<string, { keysState: string }>).map((s) => s.keysState);
    expect(states).not.toContain('unknown');
  }
  expect((await stack.calls()).rate_limited).toBe(0);

  const shown = await shownKids(stack.emulatorUrl, CONNECTION.id);
  const rotated = await callServerAction('rotateKeysAction', [{ ...rotateInput, ...shown }], {
    cookie: alice.cookie,
    baseUrl: stack.appUrls[0],
  });
  expect(actionResult(rotated.text), rotated.text).toMatchObject({ ok: true });
  const calls = await stack.calls();
  expect(calls.rotations[CONNECTION.id]).toBe(1);
  expect(calls.rate_limited).toBe(0);
  test.info().annotations.push({
    type: 'throttle',
    description: `${served.length} served, ${throttled.length} throttled by Keyshift, 0 refused by the tenant`,
  });
});
