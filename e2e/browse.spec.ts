import { expect, test } from '@playwright/test';
import { downloadFile } from '../lib/certs/download';
import { opensslFingerprint, opensslPkcs7Fingerprint } from '../lib/testing/openssl';
import { emulator, expectNoAxeViolations, storageStatePath } from './fixtures';
import { SEED } from './seed';

test.beforeAll(async () => {
  await emulator.reset();
});

test.describe('as alice (rotator)', () => {
  test.use({ storageState: storageStatePath('alice') });

  test('lists key-capable connections, filters as you type, and can show all', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('banner')).toContainText('Alice Rotator');
    await expect(page.getByRole('banner')).toContainText('rotator');
    const table = page.getByRole('table');
    await expect(table.getByRole('link', { name: SEED.acme.name })).toBeVisible();
    await expect(table.getByRole('link', { name: SEED.tyrell.name })).toHaveCount(0);
    await expect(table.getByRole('row', { name: new RegExp(SEED.initech.name) })).toContainText('ES256');

    await page.getByLabel('Search connections').fill('globex');
    await expect(table.getByRole('link')).toHaveText([SEED.globex.name]);
    await page.getByLabel('Search connections').fill(SEED.acme.id.slice(0, 10));
    await expect(table.getByRole('link')).toHaveText([SEED.acme.name]);

    await page.getByLabel('Search connections').fill('');
    await page.getByLabel('Only connections with keys').uncheck();
    await expect(table.getByRole('link', { name: SEED.tyrell.name })).toBeVisible();
    await page.getByLabel('Search connections').fill('no-such-connection');
    await expect(page.getByText('No connection matches.')).toBeVisible();
    await expectNoAxeViolations(page);
  });

  test('shows a connection’s keys; downloads are accepted by openssl and carry the displayed fingerprint', async ({
    page,
  }) => {
    await page.goto(`/connections/${SEED.acme.id}`);
    await expect(page.getByRole('heading', { name: 'Signing keys' })).toBeVisible();
    const rows = page.getByRole('table', { name: /^Signing keys of / }).locator('tbody tr');
    await expect(rows).toHaveCount(2);
    const current = rows.filter({ hasText: 'current' });
    await expect(current).toContainText('RS256');
    await expect(current).toContainText(/expires in \d+ days/);
    const fingerprint = (await current.locator('td').nth(3).locator('div').first().innerText()).trim();
    expect(fingerprint).toMatch(/^([0-9A-F]{2}:){19}[0-9A-F]{2}$/);
    const kid = (await current.locator('td').nth(1).locator('div').first().innerText()).trim();

    for (const [item, extension, check] of [
      ['Certificate (.pem)', 'pem', (path: string) => opensslFingerprint(path, 'PEM')],
      ['PKCS#7 (.p7b)', 'p7b', opensslPkcs7Fingerprint],
      ['DER (.cer)', 'cer', (path: string) => opensslFingerprint(path, 'DER')],
    ] as const) {
      await current.getByRole('button', { name: 'Download' }).click();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('menuitem', { name: item }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(downloadFile(SEED.acme.name, kid, extension).filename);
      const path = await download.path();
      expect(check(path)).toBe(fingerprint);
    }
    await expectNoAxeViolations(page);
  });

  test('copies a key’s fingerprint to the clipboard', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto(`/connections/${SEED.globex.id}`);
    const current = page
      .getByRole('table', { name: /^Signing keys of / })
      .locator('tbody tr')
      .filter({ hasText: 'current' });
    const fingerprint = (await current.locator('td').nth(3).locator('div').first().innerText()).trim();
    await current.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('menuitem', { name: 'SHA-1 fingerprint' }).click();
    await expect(current.getByText('Copied fingerprint')).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(fingerprint);
  });

  test('explains why a connection has no keys', async ({ page }) => {
    await page.goto(`/connections/${SEED.tyrell.id}`);
    await expect(page.getByText('This connection has no signing keys.')).toBeVisible();
    await expect(page.getByText(/only for Okta and OpenID Connect/)).toBeVisible();
    await page.goto(`/connections/${SEED.soylent.id}`);
    await expect(page.getByText(/Private Key JWT/)).toBeVisible();
    await expectNoAxeViolations(page);
  });

  test('provisions keys for a connection that has none', async ({ page }) => {
    await page.goto(`/connections/${SEED.wayne.id}`);
    await expect(page.getByText('No keys have been provisioned yet.')).toBeVisible();
    await page.getByLabel('Signing algorithm').selectOption('ES384');
    await page.getByRole('button', { name: 'Provision keys' }).click();
    const rows = page.getByRole('table', { name: /^Signing keys of / }).locator('tbody tr');
    await expect(rows).toHaveCount(2);
    await expect(rows.filter({ hasText: 'current' })).toContainText('ES384');
    await expect(rows.filter({ hasText: 'current' })).toContainText('EC P-384');
  });

  test('on a 390 px phone the pages wrap or scroll their tables inside, never sideways as a whole', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    const pages = [
      ['/', page.getByRole('table', { name: 'Connections' })],
      [`/connections/${SEED.acme.id}`, page.getByRole('table', { name: `Signing keys of ${SEED.acme.name}` })],
      ['/audit', page.getByRole('heading', { name: 'Audit trail' })],
    ] as const;
    for (const [path, loaded] of pages) {
      await page.goto(path);
      await expect(loaded).toBeVisible();
      const widths = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        viewport: document.documentElement.clientWidth,
      }));
      expect(widths.page, path).toBeLessThanOrEqual(widths.viewport);
    }
    // The list keeps name, keys and readiness on a phone, and no cell's text spills into its neighbour.
    await page.goto('/');
    const list = page.getByRole('table', { name: 'Connections' });
    await expect(list.getByRole('columnheader')).toHaveText(['Name', 'Keys', 'IdP readiness']);
    await expect(list.locator('tbody tr').first()).not.toContainText('Checking…');
    const spills = await list.locator('tbody tr:not([aria-hidden]) td').evaluateAll((cells) =>
      cells
        .filter((cell) => cell.getClientRects().length > 0 && getComputedStyle(cell).overflowX === 'visible')
        .filter((cell) => cell.scrollWidth > cell.clientWidth + 1)
        .map((cell) => cell.textContent),
    );
    expect(spills).toEqual([]);
  });

  test.describe('unknown connections', () => {
    for (const id of ['con_0000000000000000', 'not-an-id']) {
      test(`${id} is a 404 page`, async ({ page }) => {
        const response = await page.goto(`/connections/${id}`);
        expect(response?.status()).toBe(404);
        await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
      });
    }
  });
});

test.describe('as bob (viewer)', () => {
  test.use({ storageState: storageStatePath('bob') });

  test('sees keys but no rotate or provision controls', async ({ page }) => {
    await emulator.reset();
    await page.goto(`/connections/${SEED.acme.id}`);
    await expect(page.getByRole('banner')).toContainText('viewer');
    await expect(page.getByRole('table', { name: /^Signing keys of / }).locator('tbody tr')).toHaveCount(2);
    await expect(page.getByRole('button', { name: 'Rotate keys' })).toHaveCount(0);
    await page.goto(`/connections/${SEED.wayne.id}`);
    await expect(page.getByText('Someone with the rotator role can provision them.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Provision keys' })).toHaveCount(0);
    await expectNoAxeViolations(page);
  });
});

test.describe('as carol (no role)', () => {
  test.use({ storageState: storageStatePath('carol') });

  for (const path of ['/', `/connections/${SEED.acme.id}`]) {
    test(`${path} shows the no-access page`, async ({ page }) => {
      await page.goto(path);
      await expect(page.getByRole('heading', { name: 'No access' })).toBeVisible();
      await expect(page.getByText(SEED.acme.name)).toHaveCount(0);
      await expectNoAxeViolations(page);
    });
  }
});

test.describe('signed out', () => {
  test('every page sends you to sign in, which is accessible', async ({ page }) => {
    for (const path of ['/', `/connections/${SEED.acme.id}`]) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
    }
    await expect(page.getByRole('button', { name: 'Sign in with Auth0' })).toBeVisible();
    await expectNoAxeViolations(page);
  });
});
