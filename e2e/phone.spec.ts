import { expect, type Page, test } from '@playwright/test';
import { E2E } from './env';
import { storageStatePath } from './fixtures';
import { expectFitsPhone, overlaps, visibleTextBoxes } from './layout';
import { confirmRotation } from './rotate-dialog';
import { SEED } from './seed';

// The `phone` project (playwright.config.ts): a 390 × 844 viewport. Every page a user can reach, measured once its
// content is there: no sideways scroll of the page, no text drawn over other text.

const T = `/${E2E.tenant}`;
const acme = SEED.acme;
const rotated = SEED.globex;

test.describe('signed in as a rotator', () => {
  test.use({ storageState: storageStatePath('alice') });

  test('the tenant chooser, the connection list, the fleet and the alerts', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('table', { name: 'Connections' }).locator('tbody tr').first()).toBeVisible();
    await expectFitsPhone(page, '/');
    await page.goto(T);
    await expect(page.getByRole('table', { name: 'Connections' }).locator('tbody tr').first()).not.toContainText(
      'Checking…',
    );
    await expectFitsPhone(page, T);
    await expect(async () => {
      await page.goto(`${T}/fleet`);
      await expect(page.getByRole('table', { name: 'Fleet' }).locator('tbody tr').first()).toBeVisible({
        timeout: 1_000,
      });
    }).toPass({ timeout: 60_000 });
    await expectFitsPhone(page, `${T}/fleet`);
    await page.goto(`${T}/alerts`);
    await expect(page.getByRole('heading', { name: 'Alerts' })).toBeVisible();
    await expectFitsPhone(page, `${T}/alerts`);
  });

  test('a connection page with its keys, IdP, hand-off links and policy; the public hand-off page, signed out', async ({
    page,
    browser,
  }) => {
    await page.goto(`${T}/connections/${acme.id}`);
    await expect(page.getByRole('table', { name: `Signing keys of ${acme.name}` })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Rotation policy' })).toBeVisible();
    const links = page.getByRole('region', { name: 'Hand-off links' });
    await links.getByRole('button', { name: 'Create hand-off link' }).click();
    const created = links.getByTestId('handoff-link-created');
    await expect(created).toBeVisible();
    await expectFitsPhone(page, 'the connection page');

    const visitor = await browser.newContext({
      storageState: { cookies: [], origins: [] },
      viewport: { width: 390, height: 844 },
    });
    const open = await visitor.newPage();
    await open.goto(await created.innerText());
    await expect(open.getByRole('heading', { level: 1 })).toContainText(acme.name);
    await expectFitsPhone(open, 'the hand-off page');
    await visitor.close();
  });

  test('the rotate dialog, the result panel with its downloads on screen, the audit page and its drawer', async ({
    page,
  }) => {
    await page.goto(`${T}/connections/${rotated.id}`);
    await page.getByRole('button', { name: 'Rotate keys' }).click();
    const dialog = page.getByRole('dialog', { name: `Rotate the keys of ${rotated.name}` });
    await confirmRotation(dialog, rotated.name);
    await expectFitsPhone(page, 'the rotate dialog');
    await dialog.getByRole('button', { name: 'Rotate keys' }).click();
    const result = page.getByRole('region', { name: 'Keys rotated' });
    await expect(result).toBeVisible();
    await expectFitsPhone(page, 'the result panel');
    const downloads = result.getByRole('button', { name: /^Download/ });
    expect(await downloads.count()).toBeGreaterThan(0);
    for (const button of await downloads.all()) {
      const box = await button.boundingBox();
      expect(box, 'a Download button is drawn').not.toBeNull();
      expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= 390, 'a Download button is on screen').toBe(
        true,
      );
    }

    await page.goto(`${T}/audit`);
    const rows = page.getByRole('table', { name: 'Key rotations, newest first' }).locator('tbody tr');
    await expect(rows.first()).toBeVisible();
    await expectFitsPhone(page, `${T}/audit`);
    await rows.first().getByRole('button').first().click();
    await expect(page.getByRole('dialog', { name: /^Rotation #\d+$/ })).toBeVisible();
    await expectFitsPhone(page, 'the rotation drawer');
  });
});

test.describe('campaigns, signed in as a rotator', () => {
  test.use({ storageState: storageStatePath('alice') });

  test('the campaigns page with a plan and the schedule form; a campaign’s page', async ({ page }) => {
    await page.goto(`${T}/campaigns`);
    await page.getByLabel('These connections (names, one per line)').check();
    await page.getByLabel('Connection names').fill([rotated.name, acme.name].join('\n'));
    await page.getByLabel(/Also rotate connections whose IdP/).check();
    await expect(async () => {
      await page.getByRole('button', { name: 'Show the plan' }).click();
      await expect(page.getByTestId('plan-summary')).toContainText('2 to rotate', { timeout: 2_000 });
    }).toPass({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Change the schedule' }).click();
    await expect(page.getByRole('form', { name: 'Schedule' })).toBeVisible();
    await expectFitsPhone(page, `${T}/campaigns`);
    // One connection only (the one this file rotates anyway): its campaign page, finished.
    await page.getByLabel('Connection names').fill(rotated.name);
    await expect(async () => {
      await page.getByRole('button', { name: 'Show the plan' }).click();
      await expect(page.getByTestId('plan-summary')).toContainText('1 to rotate', { timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
    await page.getByLabel(/Type/).fill(`rotate 1 connection in ${E2E.tenant}`);
    await page.getByRole('button', { name: 'Start: rotate 1' }).click();
    await expect(page.getByTestId('campaign-state')).toHaveAttribute('data-state', 'finished', { timeout: 30_000 });
    await expectFitsPhone(page, 'a campaign’s page');
  });
});

test.describe('signed out or without a role', () => {
  test('sign-in, signed out, not found', async ({ page }) => {
    await page.goto('/signin');
    await expect(page.getByRole('button', { name: 'Sign in with Auth0' })).toBeVisible();
    await expectFitsPhone(page, '/signin');
    await page.goto('/signed-out');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expectFitsPhone(page, '/signed-out');
    await page.goto('/no-such-page/at-all');
    await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
    await expectFitsPhone(page, 'the 404 page');
  });

  test.describe('carol', () => {
    test.use({ storageState: storageStatePath('carol') });
    test('the no-access page', async ({ page }) => {
      await page.goto('/');
      await expect(page).toHaveURL(/\/no-access/);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expectFitsPhone(page, '/no-access');
    });
  });
});

/** The checks can fail: a page forced wider than the phone, and two texts drawn on the same spot. */
test.describe('the layout checks themselves', () => {
  async function plainPage(page: Page) {
    await page.goto('/signin');
    await expect(page.getByRole('button', { name: 'Sign in with Auth0' })).toBeVisible();
  }

  test('a page wider than the screen is caught', async ({ page }) => {
    await plainPage(page);
    await page.addStyleTag({ content: 'main, body > div { min-width: 1200px !important; }' });
    await expect(expectFitsPhone(page, 'widened')).rejects.toThrow(/scrolls sideways/);
  });

  test('text drawn over other text is caught, and named', async ({ page }) => {
    await plainPage(page);
    await page.evaluate(() => {
      for (const text of ['First label', 'Second label']) {
        const element = document.createElement('p');
        element.textContent = text;
        element.setAttribute('style', 'position:fixed;left:20px;top:300px;font-size:20px;margin:0');
        document.body.append(element);
      }
    });
    expect(overlaps(await visibleTextBoxes(page))).toEqual([expect.stringMatching(/"First label".*"Second label"/)]);
    await expect(expectFitsPhone(page, 'stacked')).rejects.toThrow(/overlapping text/);
  });
});
