import { expect, type Page, test } from '@playwright/test';
import { emulator, expectNoAxeViolations, storageStatePath } from './fixtures';
import { gateAcknowledgment } from './rotate-dialog';
import { SEED } from './seed';

const connection = SEED.stark;

test.beforeEach(async () => {
  // Fresh keys: an attestation a previous run recorded names a kid that is no longer next.
  await emulator.reset();
});

function idpPanel(page: Page) {
  return page.getByRole('region', { name: 'Identity provider' });
}

async function nextKid(page: Page): Promise<string> {
  const row = page.locator('tr[data-kid]').filter({ has: page.getByText('next', { exact: true }) });
  const kid = await row.getAttribute('data-kid');
  if (!kid) throw new Error('the keys table shows no next kid');
  return kid;
}

test.describe('a rotator', () => {
  test.use({ storageState: storageStatePath('alice') });

  test('sets pasted, sees not ready, records the confirmation of the shown next kid, sees ready', async ({ page }) => {
    await page.goto(`/connections/${connection.id}`);
    const panel = idpPanel(page);
    await panel.getByRole('button', { name: 'Edit IdP settings' }).click();
    const form = panel.getByRole('form', { name: 'Identity provider settings' });
    await form.getByLabel('Its admin pastes each key').check();
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form).toHaveCount(0);

    const kid = await nextKid(page);
    await expect(panel.getByText('Its admin pastes each key')).toBeVisible();
    await expect(panel.locator('[data-readiness]')).toHaveText('Not ready');
    await expect(panel.getByText(`No IdP admin has confirmed key ${kid} yet.`)).toBeVisible();
    await expectNoAxeViolations(page);

    await panel.getByRole('button', { name: `Record that the IdP admin confirmed key ${kid}` }).click();
    await panel.getByRole('button', { name: 'Yes, record the confirmation' }).click();
    await expect(panel.locator('[data-readiness]')).toHaveText('Ready');
    await expect(panel.getByText(`that the IdP admin confirmed key ${kid}.`)).toBeVisible();

    // The dialog shows the same readiness, and a ready connection asks for no acknowledgment (the gate).
    await page.getByRole('button', { name: 'Rotate keys' }).click();
    const dialog = page.getByRole('dialog', { name: `Rotate the keys of ${connection.name}` });
    await expect(dialog.locator('[data-readiness]')).toHaveText('Ready');
    await expect(gateAcknowledgment(dialog)).toHaveCount(0);
    await page.keyboard.press('Escape');

    // Still so after a reload: stored by Keyshift, not by the page.
    await page.reload();
    await expect(idpPanel(page).locator('[data-readiness]')).toHaveText('Ready');
  });

  test('a cache time out of range is refused with its reason announced, and nothing changes', async ({ page }) => {
    await page.goto(`/connections/${connection.id}`);
    const panel = idpPanel(page);
    const before = await panel.locator('dl').textContent();
    await panel.getByRole('button', { name: 'Edit IdP settings' }).click();
    const form = panel.getByRole('form', { name: 'Identity provider settings' });
    await form.getByLabel('Fetches the JWKS URL').check();
    await form.getByLabel('The IdP caches the JWKS for').fill('8');
    await form.getByLabel('Unit of the cache time').selectOption('d');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByText('The cache time must be at most 7 days.')).toBeVisible();
    await form.getByRole('button', { name: 'Cancel' }).click();
    await expect(panel.locator('dl')).toHaveText(before ?? '');
  });
});

test.describe('a viewer', () => {
  test.use({ storageState: storageStatePath('bob') });

  test('sees the panel without the edit controls', async ({ page }) => {
    await page.goto(`/connections/${connection.id}`);
    const panel = idpPanel(page);
    await expect(panel.getByText('Learns keys')).toBeVisible();
    await expect(panel.locator('[data-readiness]')).toBeVisible();
    await expect(panel.getByRole('button')).toHaveCount(0);
  });
});
