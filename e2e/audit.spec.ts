import { readFileSync } from 'node:fs';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { csvObjects } from '../lib/testing/rfc4180';
import { E2E } from './env';
import { emulator, expectNoAxeViolations, storageStatePath } from './fixtures';
import { confirmRotation } from './rotate-dialog';
import { SEED } from './seed';
import { callServerAction } from './server-actions';

// The audit store is not reset between tests (it is append-only and lives in the data directory for the whole run,
// and across runs): every assertion looks for what this file just made, by kid, within one connection.
const CONNECTION = SEED.initech;
const made: { keyshiftKid?: string; externalKid?: string } = {};

test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  await emulator.reset();
});

async function rotateInKeyshift(page: Page, alg: string): Promise<string> {
  await page.goto(`/connections/${CONNECTION.id}`);
  await page.getByRole('button', { name: 'Rotate keys' }).click();
  const dialog = page.getByRole('dialog', { name: `Rotate the keys of ${CONNECTION.name}` });
  await dialog.getByLabel('Signing algorithm').selectOption(alg);
  await confirmRotation(dialog, CONNECTION.name);
  await dialog.getByRole('button', { name: 'Rotate keys' }).click();
  await expect(dialog).toHaveCount(0);
  const result = page.getByRole('region', { name: 'Keys rotated' });
  const kid = result.locator('div', { has: page.locator('dt:text-is("Key id (kid)")') }).locator('dd');
  return (await kid.innerText()).trim();
}

/** A rotation made straight against the tenant (a script, the Auth0 Dashboard): raw HTTP, no Keyshift involved. */
async function rotateDirectly(): Promise<string> {
  const token = await fetch(`${E2E.emulatorUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'demo-m2m',
      client_secret: 'demo-m2m-secret',
      audience: 'https://demo-tenant.local/api/v2/',
    }),
  }).then((response) => response.json() as Promise<{ access_token: string }>);
  const response = await fetch(`${E2E.emulatorUrl}/api/v2/connections/${CONNECTION.id}/keys/rotate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ signing_alg: 'ES384' }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { kid: string }).kid;
}

const auditRows = (page: Page) => page.getByRole('table', { name: 'Key rotations, newest first' }).locator('tbody tr');
const rowWithKid = (page: Page, kid: string) => auditRows(page).filter({ hasText: kid });

async function asUser(browser: Browser, user: 'alice' | 'bob' | 'carol') {
  const context = await browser.newContext({ storageState: storageStatePath(user) });
  return { context, page: await context.newPage() };
}

function cookieOf(user: 'alice' | 'bob' | 'carol'): string {
  const state = JSON.parse(readFileSync(storageStatePath(user), 'utf8')) as {
    cookies: { name: string; value: string }[];
  };
  return state.cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}

test.describe('as alice (rotator)', () => {
  test.use({ storageState: storageStatePath('alice') });

  test('a rotation made in Keyshift is on /audit as succeeded, with every field in the drawer', async ({ page }) => {
    const kid = await rotateInKeyshift(page, 'RS384');
    made.keyshiftKid = kid;

    // The connection page lists it among its recent rotations, refreshed after the rotation.
    const recent = page.getByRole('list', { name: `Recent rotations of ${CONNECTION.name}` });
    await expect(recent.getByRole('listitem').filter({ hasText: kid })).toContainText('Succeeded');
    // Its drawer (code loaded on demand) opens from there too, and gives focus back to the button that opened it.
    const recentDetails = recent.getByRole('listitem').filter({ hasText: kid }).getByRole('button');
    await recentDetails.click();
    await expect(page.getByRole('dialog', { name: /^Rotation #\d+$/ })).toContainText(kid);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(recentDetails).toBeFocused();

    await page.goto(`/audit?connection=${CONNECTION.id}`);
    await expect(page.getByRole('link', { name: 'Audit', exact: true })).toHaveAttribute('aria-current', 'page');
    const row = rowWithKid(page, kid);
    await expect(row).toHaveCount(1);
    await expect(row).toHaveAttribute('data-outcome', 'succeeded');
    await expect(row.getByText('Succeeded', { exact: true })).toBeVisible();
    await expect(row).toContainText('Alice Rotator');
    await expect(row).toContainText(CONNECTION.name);
    await expect(row).toContainText('RS384');
    await expect(row.locator('time')).toHaveAttribute('title', /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);

    await row.getByRole('button', { name: /^Details of rotation #\d+$/ }).click();
    const drawer = page.getByRole('dialog', { name: /^Rotation #\d+$/ });
    await expect(drawer).toBeVisible();
    const fact = (label: string) => drawer.locator(`dt:text-is("${label}") + dd`);
    await expect(fact('Outcome')).toHaveText('Succeeded');
    await expect(fact('New kid')).toHaveText(kid);
    await expect(fact('Algorithm')).toHaveText('RS384');
    await expect(fact('Actor')).toHaveText('Alice Rotator');
    await expect(fact('Actor email')).toHaveText('alice@example.com');
    await expect(fact('Connection')).toContainText(CONNECTION.id);
    await expect(fact('HTTP status')).toHaveText('201');
    await expect(fact('Request id')).toHaveText(/^[0-9a-f-]{36}$/);
    await expect(fact('New fingerprint')).toHaveText(/^([0-9A-F]{2}:){19}[0-9A-F]{2}$/);
    await expect(fact('Revoked kid')).not.toHaveText('—');
    await expect(fact('Duration')).toHaveText(/\d+(\.\d+)? m?s/);
    const events = drawer.getByRole('listitem');
    await expect(events).toHaveCount(2);
    await expect(events.nth(0)).toContainText('rotation.requested');
    await expect(events.nth(1)).toContainText('rotation.succeeded');
    await expect(events.nth(1)).toContainText(/Hash: [0-9a-f]{64}/);
    await expectNoAxeViolations(page);

    await page.keyboard.press('Escape');
    await expect(drawer).toHaveCount(0);
    await expect(row.getByRole('button', { name: /^Details of rotation #\d+$/ })).toBeFocused();
  });

  test('a rotation made directly against the tenant shows up as external, and Keyshift’s own is not duplicated', async ({
    page,
  }) => {
    const externalKid = await rotateDirectly();
    made.externalKid = externalKid;
    const keyshiftKid = made.keyshiftKid ?? '';

    await page.goto(`/audit?connection=${CONNECTION.id}`);
    // The logs are read at most every few seconds; the open page refreshes itself until the rotation is there.
    const external = rowWithKid(page, externalKid);
    await expect(external).toHaveCount(1, { timeout: 30_000 });
    await expect(external).toHaveAttribute('data-outcome', 'external');
    await expect(external.getByText('External', { exact: true })).toBeVisible();
    await expect(external).toContainText('Keyshift demo');
    await expect(external).toContainText('ES384');

    const ours = rowWithKid(page, keyshiftKid);
    await expect(ours).toHaveCount(1);
    await expect(ours).toHaveAttribute('data-outcome', 'succeeded');

    await external.getByRole('button', { name: /^Details of rotation #\d+$/ }).click();
    const drawer = page.getByRole('dialog', { name: /^Rotation #\d+$/ });
    await expect(drawer).toContainText('rotation.external');
    await expect(drawer).toContainText('"clientId": "demo-m2m"');
    await expect(drawer).toContainText('"logId"');
    await expect(drawer).toContainText(
      'Rotated with Keyshift’s machine-to-machine credentials, but not through Keyshift.',
    );
    await page.keyboard.press('Escape');

    // Only external rotations: ours is filtered out, the direct one stays.
    await page.goto(`/audit?connection=${CONNECTION.id}&outcome=external`);
    await expect(rowWithKid(page, externalKid)).toHaveCount(1);
    await expect(rowWithKid(page, keyshiftKid)).toHaveCount(0);
  });

  test('filters narrow the list, live in the URL, and survive a reload', async ({ page }) => {
    const today = new Date().toISOString().slice(0, 10);
    await page.goto('/audit');
    await page.getByLabel('Connection id').fill(CONNECTION.id);
    await page.getByLabel('Outcome').selectOption('succeeded');
    await page.getByLabel('From (UTC day)').fill(today);
    await page.getByLabel('To (UTC day, included)').fill(today);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(
      new RegExp(`/audit\\?connection=${CONNECTION.id}&outcome=succeeded&from=${today}&to=${today}$`),
    );
    const check = async () => {
      await expect(rowWithKid(page, made.keyshiftKid ?? '')).toHaveCount(1);
      await expect(rowWithKid(page, made.externalKid ?? '')).toHaveCount(0);
      const outcomes = await auditRows(page).evaluateAll((rows) => rows.map((row) => row.getAttribute('data-outcome')));
      expect(new Set(outcomes)).toEqual(new Set(['succeeded']));
      const connections = await auditRows(page).locator('td:nth-child(3)').allInnerTexts();
      expect(connections.every((text) => text.includes(CONNECTION.id))).toBe(true);
      await expect(page.getByText(/^\d+ rotations?( shown, more available)?$/)).toBeVisible();
    };
    await check();
    await page.reload();
    await expect(page.getByLabel('Connection id')).toHaveValue(CONNECTION.id);
    await expect(page.getByLabel('Outcome')).toHaveValue('succeeded');
    await expect(page.getByLabel('From (UTC day)')).toHaveValue(today);
    await check();

    // A day with no rotations of anything.
    await page.goto(`/audit?connection=${CONNECTION.id}&to=2001-01-01`);
    await expect(page.getByText('No rotations match these filters.')).toBeVisible();
    await expect(auditRows(page)).toHaveCount(0);
  });

  test('Export CSV downloads the filtered events, which a CSV parser reads back', async ({ page }) => {
    await page.goto(`/audit?connection=${CONNECTION.id}`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^keyshift-audit-demo-tenant-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = readFileSync(await download.path(), 'utf8');
    expect(text.slice(0, text.indexOf('\r\n'))).toBe(
      'id,occurredAt,type,actorSub,actorEmail,actorName,tenant,connectionId,connectionName,algorithm,requestId,clientIp,userAgent,status,errorCode,message,newKid,newFingerprint,previousKid,durationMs,details,requestedEventId,prevHash,hash',
    );
    const rows = csvObjects(text);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(new Set(rows.map((row) => row.connectionId))).toEqual(new Set([CONNECTION.id]));
    expect(rows.every((row) => row.type?.startsWith('rotation.'))).toBe(true);
    const ours = rows.filter((row) => row.newKid === made.keyshiftKid);
    expect(ours.map((row) => row.type)).toEqual(['rotation.succeeded']);
    const theirs = rows.filter((row) => row.newKid === made.externalKid);
    expect(theirs.map((row) => row.type)).toEqual(['rotation.external']);
    expect(JSON.parse(theirs[0]?.details ?? '{}')).toMatchObject({ clientId: 'demo-m2m', logId: expect.any(String) });
    const ids = rows.map((row) => Number(row.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });
});

test('bob (viewer) reads the audit trail and verifies the chain', async ({ browser }) => {
  const { context, page } = await asUser(browser, 'bob');
  await page.goto(`/audit?connection=${CONNECTION.id}`);
  await expect(page.getByRole('heading', { name: 'Audit trail' })).toBeVisible();
  await expect(rowWithKid(page, made.keyshiftKid ?? '')).toHaveCount(1);
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByText(/^✓ Chain verified: [\d,]+ events$/)).toBeVisible({ timeout: 30_000 });
  await expectNoAxeViolations(page);
  await context.close();
});

test('carol (no role) gets the no-access page, and a signed-out visitor the sign-in', async ({ browser }) => {
  const carol = await asUser(browser, 'carol');
  await carol.page.goto('/audit');
  await expect(carol.page.getByRole('heading', { name: 'No access' })).toBeVisible();
  await carol.context.close();

  const anonymous = await browser.newContext();
  const page = await anonymous.newPage();
  await page.goto(`/audit?connection=${CONNECTION.id}`);
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fdemo-tenant%2Faudit%3Fconnection%3D/);
  await anonymous.close();
});

test.describe('a forged export request', () => {
  for (const [label, user, status] of [
    ['without a session', null, 401],
    ['as a user without a role', 'carol', 403],
  ] as const) {
    test(`${label} is refused with ${status} and no data`, async () => {
      const response = await fetch(`${E2E.appUrl}/${E2E.tenant}/audit/export?format=csv&connection=${CONNECTION.id}`, {
        headers: user ? { cookie: cookieOf(user) } : {},
        redirect: 'manual',
      });
      expect(response.status).toBe(status);
      expect(response.headers.get('content-disposition')).toBeNull();
      const body = await response.text();
      expect(body).not.toContain('rotation.');
      expect(body).not.toContain(CONNECTION.id);
    });
  }
});

test.describe('forged audit server-action calls', () => {
  const ACTIONS = [
    ['listRotationsAction', [{ search: { connection: CONNECTION.id }, sync: true }]],
    ['rotationDetailAction', [{ id: 1 }]],
    ['verifyChainAction', [{}]],
  ] as const;
  for (const [name, args] of ACTIONS) {
    test(`${name} is refused without a session and for a user without a role`, async () => {
      const anonymous = await callServerAction(name, [...args]);
      expect(anonymous.text).toContain('"code":"unauthenticated"');
      const carol = await callServerAction(name, [...args], { cookie: cookieOf('carol') });
      expect(carol.text).toContain('"code":"forbidden"');
      for (const response of [anonymous, carol]) {
        expect(response.text).not.toContain('rotation.');
        expect(response.text).not.toContain(made.keyshiftKid ?? 'no-kid');
      }
    });
  }
});
