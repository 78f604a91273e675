import { expect, type Page, test } from '@playwright/test';
import { E2E } from './env';
import { emulator, storageStatePath } from './fixtures';
import { shownKids } from './kids';
import { confirmRotation } from './rotate-dialog';
import { SEED } from './seed';

/**
 * Two tabs on one connection, as the issue found it: the operator rotates in the first; the second, still showing the
 * old keys with its dialog confirmed, must not rotate again (that would revoke the key that just became current).
 */
const CONNECTION = SEED.umbrella;

test.use({ storageState: storageStatePath('alice') });
test.beforeEach(async () => {
  await emulator.reset();
});

async function confirmedDialog(page: Page) {
  await page.goto(`/connections/${CONNECTION.id}`);
  await page.getByRole('button', { name: 'Rotate keys' }).click();
  const dialog = page.getByRole('dialog', { name: `Rotate the keys of ${CONNECTION.name}` });
  await dialog.getByLabel('Signing algorithm').selectOption('PS256');
  await confirmRotation(dialog, CONNECTION.name);
  return dialog;
}

test('a second tab confirmed against the old keys is refused, rotates nothing, shows the new keys and asks again', async ({
  context,
}) => {
  const before = await shownKids(E2E.emulatorUrl, CONNECTION.id);
  const first = await context.newPage();
  const second = await context.newPage();

  // Tab 2: the dialog open and confirmed, naming the keys it shows.
  const stale = await confirmedDialog(second);
  await expect(stale).toContainText(before.expectedCurrentKid);
  await expect(stale).toContainText(before.expectedNextKid);

  // Tab 1: the operator rotates.
  const dialog = await confirmedDialog(first);
  await dialog.getByRole('button', { name: 'Rotate keys' }).click();
  await expect(first.getByRole('region', { name: 'Keys rotated' })).toBeVisible();
  expect(await emulator.rotationsOf(CONNECTION.id)).toBe(1);
  const after = await shownKids(E2E.emulatorUrl, CONNECTION.id);
  expect(after.expectedCurrentKid).toBe(before.expectedNextKid);

  // Tab 2 clicks Rotate: refused with the sentence, and Auth0 rotated exactly once in all.
  await stale.getByRole('button', { name: 'Rotate keys' }).click();
  await expect(stale.getByRole('alert')).toContainText(
    /The keys changed since this page loaded: Alice Rotator rotated them \d+ s ago\. Review the new keys, then rotate again if you still mean to\./,
  );
  expect(await emulator.rotationsOf(CONNECTION.id)).toBe(1);
  expect(await shownKids(E2E.emulatorUrl, CONNECTION.id)).toEqual(after);

  // Tab 2 shows the new keys and asks for a fresh confirmation instead of offering the same click.
  await expect(stale).toContainText(after.expectedCurrentKid);
  await expect(stale).toContainText(after.expectedNextKid);
  await expect(stale.getByLabel(`Type ${CONNECTION.name} to confirm`)).toHaveValue('');
  await expect(stale.getByRole('button', { name: 'Rotate keys' })).toBeDisabled();
  await expect(stale.getByRole('alert')).toContainText('type the name to confirm against them');
  await second.keyboard.press('Escape');
  await expect(stale).toHaveCount(0);
  const rows = second.getByRole('table', { name: /^Signing keys of / }).locator('tbody tr');
  const withStatus = (status: string) => rows.filter({ has: second.getByText(status, { exact: true }) });
  await expect(withStatus('current')).toContainText(after.expectedCurrentKid);
  await expect(withStatus('next')).toContainText(after.expectedNextKid);
  expect(await emulator.rotationsOf(CONNECTION.id)).toBe(1);
});
