import { performance } from 'node:perf_hooks';
import { expect, type Page, test } from '@playwright/test';
import { E2E } from './env';
import { emulator, expectNoAxeViolations, storageStatePath } from './fixtures';
import { setPasted } from './idp-panel';
import { confirmRotation } from './rotate-dialog';
import { SEED } from './seed';

/** How often the page asks for the watch while its window is open (lib/watch/live.ts WATCH_POLL_MS). */
const POLL_MS = 5_000;
/** One polling interval, plus what a poll's own round trip (action, a log read of the emulator, render) may take. */
const WITHIN_ONE_POLL = POLL_MS + 1_500;

test.use({ storageState: storageStatePath('alice') });

test.beforeEach(async () => {
  // Seeded keys and IdPs: the pasted IdPs trust their connection's current key again, and nothing else.
  await emulator.reset();
});

async function emulatorCall(method: string, path: string, body?: unknown) {
  const response = await fetch(`${E2E.emulatorUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok, `${method} ${path} → ${response.status}`).toBe(true);
  return response;
}

/** Sign-ins through the connection now: the barrier the watch is asserted after. */
const signIns = (name: string, count: number) => emulatorCall('POST', `/__emulator/idps/${name}/sign-ins`, { count });

/** The IdP admin pastes one of the connection's published keys (its JWK from the connection's JWKS) at the IdP. */
async function trustAtIdp(connectionName: string, kid: string) {
  const jwks = await fetch(`${E2E.emulatorUrl}/oauth/connection/${connectionName}/.well-known/jwks.json`);
  const jwk = ((await jwks.json()) as { keys: { kid: string }[] }).keys.find((key) => key.kid === kid);
  expect(jwk).toBeDefined();
  await emulatorCall('POST', `/__emulator/idps/${connectionName}/keys`, { jwk });
}

async function kidOf(page: Page, state: 'current' | 'next'): Promise<string> {
  const row = page.locator('tr[data-kid]').filter({ has: page.getByText(state, { exact: true }) });
  const kid = await row.getAttribute('data-kid');
  if (!kid) throw new Error(`the keys table shows no ${state} kid`);
  return kid;
}

/**
 * Rotates through the dialog with the connection's current algorithm; resolves when the rotation's response has
 * arrived (performance.now() then) and the result panel is on screen. A gate that asks for an acknowledgment of an
 * unprepared IdP is acknowledged.
 */
async function rotate(page: Page, connection: { name: string }): Promise<{ respondedAt: number }> {
  await page.getByRole('button', { name: 'Rotate keys' }).click();
  const dialog = page.getByRole('dialog', { name: `Rotate the keys of ${connection.name}` });
  await confirmRotation(dialog, connection.name);
  const response = page.waitForResponse(
    (candidate) =>
      candidate.request().method() === 'POST' && candidate.request().headers()['next-action'] !== undefined,
  );
  await dialog.getByRole('button', { name: 'Rotate keys' }).click();
  await response;
  const respondedAt = performance.now();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Keys rotated' })).toBeVisible();
  return { respondedAt };
}

test('an unprepared rotation: key failures raise the alarm within one polling interval, with the remedy at hand', async ({
  page,
  browser,
}) => {
  const connection = SEED.initech; // its IdP trusts only the key that is current now
  await page.goto(`/connections/${connection.id}`);
  const promoted = await kidOf(page, 'next');

  const { respondedAt } = await rotate(page, connection);
  const result = page.getByRole('region', { name: 'Keys rotated' });
  const watch = result.getByRole('region', { name: 'Sign-ins since the rotation' });
  await expect(watch.getByRole('status')).toContainText('0 succeeded, 0 failed — watching for');

  await signIns(connection.name, 3);
  const signedIn = performance.now();
  const alarm = watch.getByRole('alert');
  await expect(alarm).toContainText(
    `Sign-ins through ${connection.name} are failing: the identity provider does not trust key ${promoted} (3 failures since`,
    { timeout: WITHIN_ONE_POLL },
  );
  const onScreen = performance.now();
  console.log(
    `[watch] unprepared rotation → alarm on screen: ${Math.round(onScreen - respondedAt)} ms after the rotation's ` +
      `response, ${Math.round(onScreen - signedIn)} ms after the first failed sign-ins (polling every ${POLL_MS} ms)`,
  );

  await expect(alarm.getByRole('button', { name: `Copy the JWK of key ${promoted}` })).toBeVisible();
  await expect(alarm.getByRole('link', { name: 'Send a hand-off link' })).toHaveAttribute('href', '#hand-off-links');
  await expect(page.locator('#hand-off-links')).toHaveCount(1);
  await expect(alarm.getByRole('button', { name: 'Copy JWKS URL' })).toBeVisible();
  await expect(watch.getByRole('status')).toContainText('0 succeeded, 3 failed');
  await expectNoAxeViolations(page);

  // A viewer sees the same alarm on the connection page; the hand-off panel is a rotator's, so no link to it.
  const viewer = await browser.newContext({ storageState: storageStatePath('bob') });
  const viewerPage = await viewer.newPage();
  await viewerPage.goto(`/connections/${connection.id}`);
  const viewerAlarm = viewerPage.getByRole('region', { name: 'Sign-ins since the rotation' }).getByRole('alert');
  await expect(viewerAlarm).toContainText('A rotator can send the IdP admin a hand-off link.');
  await expect(viewerAlarm.getByRole('link')).toHaveCount(0);
  await viewer.close();

  // Readable on a phone: the watch on the connection page fits 390 px, nothing in it scrolls sideways.
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await page.setViewportSize({ width: 390, height: 844 });
  const pageWatch = page.getByRole('region', { name: 'Sign-ins since the rotation' });
  await expect(pageWatch.getByRole('alert')).toBeVisible();
  const fits = await pageWatch.evaluate((element) => {
    const box = element.getBoundingClientRect();
    const inside = [element, ...element.querySelectorAll('*')].every(
      (node) => node.scrollWidth <= node.clientWidth + 1,
    );
    return { left: box.left, right: box.right, inside };
  });
  expect(fits.left).toBeGreaterThanOrEqual(0);
  expect(fits.right).toBeLessThanOrEqual(390);
  expect(fits.inside).toBe(true);

  // The remedy works: the IdP admin pastes the now-current key, the next sign-ins succeed, and the alarm gives way.
  await trustAtIdp(connection.name, promoted);
  await signIns(connection.name, 2);
  await expect(pageWatch.getByRole('status')).toContainText('2 succeeded, 3 failed', { timeout: WITHIN_ONE_POLL });
  await expect(pageWatch.getByRole('alert')).toHaveCount(0);
  await expect(pageWatch).toContainText('Sign-ins have recovered: the identity provider refused the key 3 times');
});

test('a prepared rotation: the IdP trusts the promoted key, sign-ins succeed, no alarm, and a pasted IdP is reminded of the revoked key', async ({
  page,
}) => {
  const connection = SEED.globex;
  // Keyshift knows its IdP is one whose admin pastes keys.
  await setPasted(page, connection);

  // The IdP admin pastes the next key before the rotation makes it current.
  const revoked = await kidOf(page, 'current');
  const promoted = await kidOf(page, 'next');
  await trustAtIdp(connection.name, promoted);

  await rotate(page, connection);
  const watch = page
    .getByRole('region', { name: 'Keys rotated' })
    .getByRole('region', { name: 'Sign-ins since the rotation' });
  await expect(watch.getByRole('status')).toContainText('0 succeeded, 0 failed');
  await signIns(connection.name, 3);
  await expect(watch.getByRole('status')).toContainText('3 succeeded, 0 failed — watching for', {
    timeout: WITHIN_ONE_POLL,
  });
  await expect(watch.getByRole('alert')).toHaveCount(0);
  await expect(watch).toContainText(
    `Sign-ins are healthy: remove the revoked key ${revoked} from the IdP’s trusted keys.`,
  );

  // The connection page shows the same watch once the result is dismissed.
  await page.getByRole('button', { name: 'Dismiss' }).click();
  const pageWatch = page.getByRole('region', { name: 'Sign-ins since the rotation' });
  await expect(pageWatch.getByRole('status')).toContainText('3 succeeded, 0 failed');
});
