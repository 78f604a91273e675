import { readFile } from 'node:fs/promises';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { E2E } from './env';
import { actionResult, callServerAction } from './server-actions';
import { eventually, requirePostgres, type SignedIn, Stack } from './stack';

/**
 * Campaigns on two app instances of one PostgreSQL, as production runs them, over 200 generated connections: the
 * form's dry run and typed phrase, pause, resume and cancel in the browser, a viewer's view, and a SIGKILL of one
 * instance mid-campaign. Every rotate is held 0.6–1 s upstream, so the campaign is still running when the test acts.
 * A job whose instance died is taken over after KEYSHIFT_JOB_EXPIRE_SECONDS (5 here).
 */
const ROTATE = 'POST /api/v2/connections/{id}/keys/rotate';
const PAGE = `/${E2E.tenant}/campaigns`;
// Generated connections with keys (emulator/seed-connections.ts: private_key_jwt, provisioned).
const named = (indexes: number[]) =>
  indexes.map((index) => `${index % 20 < 9 ? 'okta' : 'oidc'}-customer-${String(index).padStart(5, '0')}`);
const FIRST = named([1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13]);
const SECOND = named([21, 22, 23, 24, 25, 26, 27, 28, 29, 31]);

let stack: Stack;
let alice: SignedIn;
let bob: SignedIn;
const contexts: BrowserContext[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  await requirePostgres('e2e/campaigns.spec.ts (two instances, one PostgreSQL; SIGKILL mid-campaign)');
  stack = await Stack.start({
    slot: 8,
    instances: 2,
    postgres: true,
    connections: 200,
    appEnv: { KEYSHIFT_JOB_EXPIRE_SECONDS: '5', KEYSHIFT_JOB_MAINTENANCE_SECONDS: '1' },
  });
  alice = await stack.signIn(browser, 'alice@example.com', 0);
  bob = await stack.signIn(browser, 'bob@example.com', 0);
});

test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

test.afterAll(async () => {
  await stack?.stop();
});

async function open(browser: import('@playwright/test').Browser, who: SignedIn): Promise<Page> {
  const context = await browser.newContext({ storageState: who.storageState });
  contexts.push(context);
  return context.newPage();
}

/** An action of the campaigns page, as the browser calls it, on the given instance. */
async function action(name: string, input: Record<string, unknown>, who: SignedIn = alice, instance = 0) {
  const response = await callServerAction(name, [input], {
    cookie: who.cookie,
    baseUrl: stack.appUrls[instance],
    path: PAGE,
  });
  return actionResult(response.text);
}

async function rotationsUpstream(names: readonly string[]): Promise<Map<string, number>> {
  const calls = (await stack.calls()) as unknown as { rotations?: Record<string, number> };
  const ids = await connectionIds(names);
  return new Map(names.map((name) => [name, calls.rotations?.[ids.get(name) ?? ''] ?? 0]));
}

async function connectionIds(names: readonly string[]): Promise<Map<string, string>> {
  const rows = await stack.sql<{ connection_id: string; connection_name: string }>(
    'select connection_id, connection_name from key_inventory where connection_name = any($1)',
    [names],
  );
  return new Map(rows.map((row) => [row.connection_name, row.connection_id]));
}

const count = (page: Page, label: string) => page.locator(`[data-count="${label}"]`);
const number = async (page: Page, label: string) => Number(await count(page, label).textContent());

test('a rotator plans, types the phrase, pauses, resumes and cancels; in-flight rotations finish, each connection rotates at most once', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  await stack.admin('DELETE', '/faults');
  await stack.fault({ route: ROTATE, kind: 'latency', ms: 600, count: 1000 });
  const page = await open(browser, alice);
  await page.goto(`${stack.appUrl}${PAGE}`);
  await page.getByLabel('These connections (names, one per line)').check();
  await page.getByLabel('Connection names').fill(FIRST.join('\n'));
  await page.getByLabel(/Also rotate connections whose IdP/).check();
  // The inventory reads the 200 connections at start: the plan names all twelve once it has.
  await expect(async () => {
    await page.getByRole('button', { name: 'Show the plan' }).click();
    await expect(page.getByTestId('plan-summary')).toContainText('12 to rotate', { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByRole('table').locator('tbody tr[data-action="rotate_acknowledged"]')).toHaveCount(12);
  const start = page.getByRole('button', { name: 'Start: rotate 12' });
  await page.getByLabel(/Type/).fill('rotate 12 connections');
  await expect(start).toBeDisabled();
  await page.getByLabel(/Type/).fill(`rotate 12 connections in ${E2E.tenant}`);
  await start.click();
  await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/);

  await expect(count(page, 'Rotated')).not.toHaveText('0', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('campaign-state')).toHaveAttribute('data-state', 'paused');
  // The rotations under way when it paused finish and are recorded; then nothing moves.
  await expect(count(page, 'Rotating')).toHaveText('0', { timeout: 30_000 });
  const pausedAt = await number(page, 'Rotated');
  expect(pausedAt).toBeGreaterThan(0);
  expect(pausedAt).toBeLessThan(12);
  const upstreamAtPause = [...(await rotationsUpstream(FIRST)).values()].reduce((sum, n) => sum + n, 0);
  expect(upstreamAtPause).toBe(pausedAt);
  // Progress survives a reload.
  await page.reload();
  await expect(page.getByTestId('campaign-state')).toHaveAttribute('data-state', 'paused');
  await expect(count(page, 'Rotated')).toHaveText(String(pausedAt));
  await expect(count(page, 'Remaining')).toHaveText(String(12 - pausedAt));

  // Slower from here: after resuming, the first rotation to finish leaves several still to cancel.
  await stack.admin('DELETE', '/faults');
  await stack.fault({ route: ROTATE, kind: 'latency', ms: 3_000, count: 1000 });
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('campaign-state')).toHaveAttribute('data-state', 'running');
  await expect.poll(() => number(page, 'Rotated'), { timeout: 30_000 }).toBeGreaterThan(pausedAt);
  await page.getByRole('button', { name: 'Cancel the rest' }).click();
  await expect(page.getByTestId('campaign-state')).toHaveAttribute('data-state', 'cancelled');
  await expect(count(page, 'Rotating')).toHaveText('0', { timeout: 30_000 });
  await expect(count(page, 'Remaining')).toHaveText('0');
  await stack.admin('DELETE', '/faults');
  const rotated = await number(page, 'Rotated');
  const cancelled = await number(page, 'Cancelled');
  expect(cancelled).toBeGreaterThan(0);
  expect(rotated + cancelled + (await number(page, 'Failed'))).toBe(12);
  const upstream = await rotationsUpstream(FIRST);
  expect([...upstream.values()].every((n) => n <= 1)).toBe(true);
  expect([...upstream.values()].reduce((sum, n) => sum + n, 0)).toBe(rotated);

  // The summary, every item's outcome, as CSV.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV' }).click();
  const csv = await readFile((await (await download).path()) as string, 'utf8');
  const lines = csv.trim().split('\n');
  expect(lines).toHaveLength(13);
  expect(lines.filter((line) => line.includes(',succeeded,'))).toHaveLength(rotated);
  expect(lines.filter((line) => line.includes(',cancelled,'))).toHaveLength(cancelled);
  // The history lists it, cancelled.
  await page.getByRole('link', { name: '← Campaigns' }).click();
  await expect(page.getByRole('list', { name: 'Campaign history' })).toContainText('Cancelled');
});

test('from the fleet, a campaign of exactly the rows its filter shows', async ({ browser }) => {
  const page = await open(browser, alice);
  await page.goto(`${stack.appUrl}/${E2E.tenant}/fleet`);
  await page.getByRole('searchbox', { name: 'Search' }).fill('oidc-customer-001');
  const link = page.getByRole('link', { name: /^Plan a campaign of these \(\d+\)$/ });
  await expect(link).toBeVisible({ timeout: 30_000 });
  const shown = Number((/\((\d+)\)/.exec((await link.textContent()) ?? '') ?? [])[1]);
  expect(shown).toBeGreaterThan(0);
  await link.click();
  await expect(page.getByLabel('The fleet’s filter: “oidc-customer-001”')).toBeChecked();
  await page.getByLabel(/Also rotate connections whose IdP/).check();
  await page.getByRole('button', { name: 'Show the plan' }).click();
  const rows = page.getByRole('table').locator('tbody tr');
  await expect(rows).toHaveCount(shown);
  for (const name of await rows.locator('td:first-child > span:first-child').allTextContents()) {
    expect(name).toContain('oidc-customer-001');
  }
  await expect(page.getByTestId('plan-summary')).toContainText('(fleet filter: “oidc-customer-001”)');
});

test('a viewer sees campaigns and their progress, with no form and no controls; forged calls are refused', async ({
  browser,
}) => {
  const page = await open(browser, bob);
  await page.goto(`${stack.appUrl}${PAGE}`);
  await expect(page.getByRole('heading', { name: 'Campaigns', level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Show the plan' })).toHaveCount(0);
  await page.getByRole('list', { name: 'Campaign history' }).getByRole('link').first().click();
  await expect(page.getByTestId('campaign-state')).toBeVisible();
  await expect(page.getByRole('button', { name: /Pause|Resume|Cancel/ })).toHaveCount(0);
  const campaignId = page.url().split('/').at(-1) as string;
  const plan = { selection: { kind: 'names', names: SECOND }, algorithm: 'keep', includeNotReady: true };
  for (const [name, input] of [
    ['planCampaignAction', plan],
    ['startCampaignAction', { ...plan, digest: 'x', confirmation: `rotate 10 connections in ${E2E.tenant}` }],
    ['controlCampaignAction', { campaignId, control: 'resume' }],
  ] as const) {
    expect(await action(name, input, bob)).toMatchObject({ ok: false, code: 'forbidden' });
  }
});

test('a rotator sets the scheduled rotation: a bad window is refused naming the field, a good one shows the next window, both audited only when saved', async ({
  browser,
}) => {
  const page = await open(browser, alice);
  await page.goto(`${stack.appUrl}${PAGE}`);
  await expect(page.getByTestId('schedule-status')).toHaveText('Off: nothing is rotated automatically.');
  await page.getByRole('button', { name: 'Change the schedule' }).click();
  const form = page.getByRole('form', { name: 'Schedule' });
  await form.getByLabel('Rotate due, ready connections automatically').check();
  // New Year's morning: no window is open while this runs.
  await form.getByLabel('Window opens (cron)').fill('0 3 1 1');
  await form.getByLabel('Time zone').fill('Europe/Nowhere');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByText('The cron expression must have five fields')).toBeVisible();
  await expect(form.getByText('“Europe/Nowhere” is not a time zone')).toBeVisible();
  const audited = () =>
    stack.sql<{ n: number }>("select count(*)::int as n from audit_events where type = 'schedule.changed'");
  expect((await audited())[0]?.n).toBe(0);
  await form.getByLabel('Window opens (cron)').fill('0 3 1 1 *');
  await form.getByLabel('Time zone').fill('Europe/Berlin');
  await form.getByLabel('Window length (minutes)').fill('90');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('schedule-status')).toContainText(
    'On: in each window “0 3 1 1 *” (Europe/Berlin, 90 minutes)',
  );
  await expect(page.getByTestId('schedule-status')).toContainText('Next window: Fri 1 Jan, 03:00 – Fri 1 Jan, 04:30');
  expect((await audited())[0]?.n).toBe(1);
  // A viewer reads it and cannot change it.
  const viewer = await open(browser, bob);
  await viewer.goto(`${stack.appUrl}${PAGE}`);
  await expect(viewer.getByTestId('schedule-status')).toContainText('On: in each window');
  await expect(viewer.getByRole('button', { name: 'Change the schedule' })).toHaveCount(0);
  expect(
    await action('setScheduleAction', { enabled: false, cron: '0 3 1 1 *', timeZone: 'UTC', windowMinutes: 60 }, bob),
  ).toMatchObject({ ok: false, code: 'forbidden' });
  // Off again, so nothing on this stack is ever rotated by it.
  await page.getByRole('button', { name: 'Change the schedule' }).click();
  await form.getByLabel('Rotate due, ready connections automatically').uncheck();
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('schedule-status')).toHaveText('Off: nothing is rotated automatically.');
});

test('SIGKILL of the instance running a campaign mid-rotation, then its restart: the rotation in flight is settled, every connection rotated exactly once', async () => {
  test.setTimeout(150_000);
  // Instance 1 stands down: instance 0 alone runs this campaign, so the rotation in flight when it dies is its own.
  await stack.stopApp(1);
  await stack.admin('DELETE', '/faults');
  await stack.fault({ route: ROTATE, kind: 'latency', ms: 3_000, count: 1000 });
  const before = await rotationsUpstream(SECOND);
  const input = { selection: { kind: 'names', names: SECOND }, algorithm: 'keep', includeNotReady: true };
  const plan = (await action('planCampaignAction', input))?.data as {
    rotating: number;
    digest: string;
    phrase: string;
  };
  expect(plan.rotating).toBe(10);
  const started = await action('startCampaignAction', { ...input, digest: plan.digest, confirmation: plan.phrase });
  expect(started).toMatchObject({ ok: true });
  const campaignId = started?.data as string;
  const view = async (instance: number) =>
    (await action('campaignAction', { campaignId }, alice, instance))?.data as {
      state: string;
      counts: Record<string, number>;
      items: { name: string; status: string; attempts: number; startedAt: string | null }[];
    };

  // Two done, and a third started less than a second ago (each rotate is held 3 s upstream): it is in flight now.
  const inFlight = await eventually(async () => {
    const current = await view(0);
    const running = current.items.find(
      (item) => item.status === 'running' && Date.now() - Date.parse(item.startedAt ?? '') < 1_000,
    );
    return (current.counts.succeeded ?? 0) >= 2 && running ? running : undefined;
  }, 90_000);
  await stack.killApp(0);
  await stack.startApp(0);
  const finished = await eventually(async () => {
    const current = await view(0);
    return current.state === 'finished' ? current : undefined;
  }, 90_000);
  // The killed rotation's request was settled by reading the keys back (or, if it had not reached Auth0's door yet,
  // tried again): either way the trail says so, and its connection rotated once like the others.
  const settled = await stack.sql<{ n: number }>(
    "select count(*)::int as n from audit_events where details->>'campaignId' = $1 and type like 'rotation.%' and message like 'Keyshift stopped before recording the outcome;%'",
    [campaignId],
  );
  const retried = finished.items.find((item) => item.name === inFlight.name)?.attempts ?? 1;
  expect((settled[0]?.n ?? 0) + (retried - 1), `${inFlight.name} was in flight`).toBeGreaterThanOrEqual(1);
  await stack.startApp(1);
  expect(finished.counts).toMatchObject({ total: 10, succeeded: 10, failed: 0, unknown: 0, running: 0, pending: 0 });
  const after = await rotationsUpstream(SECOND);
  expect(SECOND.map((name) => (after.get(name) ?? 0) - (before.get(name) ?? 0))).toEqual(SECOND.map(() => 1));
  // The audit is complete: every request the campaign made has its outcome, each naming the campaign.
  const events = await stack.sql<{ type: string; request_id: string; details: { campaignId?: string } | null }>(
    "select type, request_id, details from audit_events where details->>'campaignId' = $1 and type like 'rotation.%'",
    [campaignId],
  );
  const byRequest = new Map<string, string[]>();
  for (const event of events) byRequest.set(event.request_id, [...(byRequest.get(event.request_id) ?? []), event.type]);
  for (const types of byRequest.values()) {
    expect(types).toContain('rotation.requested');
    expect(types.filter((type) => type !== 'rotation.requested')).toHaveLength(1);
  }
  expect([...byRequest.values()].filter((types) => types.includes('rotation.succeeded'))).toHaveLength(10);
  const verified = await stack.verifyAudit();
  expect(verified.code, verified.output).toBe(0);
});
