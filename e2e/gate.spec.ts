import { expect, type Page, test } from '@playwright/test';
import { E2E } from './env';
import { emulator, expectNoAxeViolations, storageStatePath } from './fixtures';
import { setPasted } from './idp-panel';
import { shownKids } from './kids';
import { dialogReadiness, gateAcknowledgment } from './rotate-dialog';
import { SEED } from './seed';

/**
 * The readiness gate: rotating a connection whose IdP is not known to trust the next key needs an explicit
 * acknowledgment in the dialog, recorded with the rotation as an override; a ready connection rotates as before.
 */
const NOT_READY = SEED.globex;
const READY = SEED.stark;

test.use({ storageState: storageStatePath('alice') });
test.beforeEach(async () => {
  // Fresh keys: a confirmation an earlier run recorded names a kid that is no longer next.
  await emulator.reset();
});

/** A pasted IdP whose admin confirmed the connection's next kid, recorded through the panel: readiness `ready`. */
async function makeReady(page: Page, connection: { id: string }) {
  const panel = await setPasted(page, connection);
  const { expectedNextKid: kid } = await shownKids(E2E.emulatorUrl, connection.id);
  await panel.getByRole('button', { name: `Record that the IdP admin confirmed key ${kid}` }).click();
  await panel.getByRole('button', { name: 'Yes, record the confirmation' }).click();
  await expect(panel.locator('[data-readiness]')).toHaveText('Ready');
}

/** The kid of the key a rotation just made, from the result panel: names the rotation in the recent list. */
async function newKid(page: Page): Promise<string> {
  const result = page.getByRole('region', { name: 'Keys rotated' });
  const kid = result.locator('div', { has: page.locator('dt:text-is("Key id (kid)")') }).locator('dd');
  return (await kid.innerText()).trim();
}

function openDialog(page: Page, connection: { name: string }) {
  return page.getByRole('dialog', { name: `Rotate the keys of ${connection.name}` });
}

test('a not-ready connection: Rotate waits for the acknowledgment; rotated with it, the drawer shows the override', async ({
  page,
}) => {
  const panel = await setPasted(page, NOT_READY);
  const { expectedNextKid: nextKid } = await shownKids(E2E.emulatorUrl, NOT_READY.id);
  await expect(panel.locator('[data-readiness]')).toHaveText('Not ready');

  await page.getByRole('button', { name: 'Rotate keys' }).click();
  const dialog = openDialog(page, NOT_READY);
  expect(await dialogReadiness(dialog)).toBe('not_ready');
  const acknowledgment = gateAcknowledgment(dialog);
  await expect(acknowledgment).toHaveAccessibleName(
    `I understand that sign-ins through ${NOT_READY.name} will fail until its identity provider trusts key ${nextKid}`,
  );
  await expect(acknowledgment).toHaveAccessibleDescription(
    `The identity provider is not ready: No IdP admin has confirmed key ${nextKid} yet.`,
  );
  await expect(acknowledgment).not.toBeChecked();
  await expectNoAxeViolations(page);

  const confirm = dialog.getByRole('button', { name: 'Rotate keys' });
  await dialog.getByLabel(`Type ${NOT_READY.name} to confirm`).fill(NOT_READY.name);
  await expect(confirm).toBeDisabled();
  await acknowledgment.check();
  await expect(confirm).toBeEnabled();
  await acknowledgment.uncheck();
  await expect(confirm).toBeDisabled();
  expect(await emulator.rotationsOf(NOT_READY.id)).toBe(0);

  await acknowledgment.check();
  await confirm.click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Keys rotated' })).toBeVisible();
  expect(await emulator.rotationsOf(NOT_READY.id)).toBe(1);

  // The override is recorded with the rotation and shown in its drawer.
  const rotated = await newKid(page);
  const recent = page.getByRole('list', { name: `Recent rotations of ${NOT_READY.name}` });
  const item = recent.getByRole('listitem').filter({ hasText: rotated });
  await expect(item).toContainText('Succeeded');
  await item.getByRole('button').click();
  const drawer = page.getByRole('dialog', { name: /^Rotation #\d+$/ });
  await expect(drawer.locator('dt:text-is("Readiness override") + dd')).toHaveText(
    `Rotated although the IdP was not ready: No IdP admin has confirmed key ${nextKid} yet.`,
  );
  await expect(drawer).toContainText('"acknowledged": true');
  await expectNoAxeViolations(page);
});

test('readiness that changes while the dialog is open is refused by the server, and the dialog asks again', async ({
  page,
}) => {
  const panel = await setPasted(page, NOT_READY);
  await expect(panel.locator('[data-readiness]')).toHaveText('Not ready');
  await page.getByRole('button', { name: 'Rotate keys' }).click();
  const dialog = openDialog(page, NOT_READY);
  await gateAcknowledgment(dialog).check();
  await dialog.getByLabel(`Type ${NOT_READY.name} to confirm`).fill(NOT_READY.name);

  // Meanwhile, in another tab, someone records that nobody knows how the IdP learns keys.
  const other = await page.context().newPage();
  await other.goto(`/connections/${NOT_READY.id}`);
  const otherPanel = other.getByRole('region', { name: 'Identity provider' });
  await otherPanel.getByRole('button', { name: 'Edit IdP settings' }).click();
  const form = otherPanel.getByRole('form', { name: 'Identity provider settings' });
  await form.getByLabel('Not known').check();
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form).toHaveCount(0);
  await other.close();

  await dialog.getByRole('button', { name: 'Rotate keys' }).click();
  await expect(dialog.getByRole('alert')).toContainText(
    'The identity provider’s readiness changed since the dialog showed it: it is now unknown',
  );
  expect(await emulator.rotationsOf(NOT_READY.id)).toBe(0);
  // The dialog shows the new state and asks for a fresh acknowledgment of it; the typed name stays.
  await expect(dialog.locator('[data-readiness]')).toHaveAttribute('data-readiness', 'unknown');
  await expect(gateAcknowledgment(dialog)).not.toBeChecked();
  await expect(dialog.getByRole('button', { name: 'Rotate keys' })).toBeDisabled();
});

test('a ready connection (pasted, next kid confirmed) shows no acknowledgment and rotates as before', async ({
  page,
}) => {
  await makeReady(page, READY);

  await page.getByRole('button', { name: 'Rotate keys' }).click();
  const dialog = openDialog(page, READY);
  expect(await dialogReadiness(dialog)).toBe('ready');
  await expect(gateAcknowledgment(dialog)).toHaveCount(0);
  await dialog.getByLabel(`Type ${READY.name} to confirm`).fill(READY.name);
  await dialog.getByRole('button', { name: 'Rotate keys' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Keys rotated' })).toBeVisible();
  expect(await emulator.rotationsOf(READY.id)).toBe(1);

  const rotated = await newKid(page);
  const recent = page.getByRole('list', { name: `Recent rotations of ${READY.name}` });
  await recent.getByRole('listitem').filter({ hasText: rotated }).getByRole('button').click();
  const drawer = page.getByRole('dialog', { name: /^Rotation #\d+$/ });
  await expect(drawer.locator('dt:text-is("Outcome")')).toBeVisible();
  await expect(drawer.locator('dt:text-is("Readiness override")')).toHaveCount(0);
});

test('the connection list shows readiness from Keyshift’s records: configured connections, unknown ones muted', async ({
  page,
}) => {
  await makeReady(page, READY);
  await setPasted(page, NOT_READY);

  await page.goto('/');
  const table = page.getByRole('table', { name: 'Connections' });
  await expect(table.getByRole('columnheader', { name: 'IdP readiness' })).toBeVisible();
  const rowOf = (name: string) => table.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
  const ready = rowOf(READY.name).locator('[data-readiness]');
  await expect(ready).toHaveText('Ready');
  await expect(ready).toHaveAttribute(
    'title',
    /confirmed key .*As of Keyshift’s records; the connection page checks Auth0\./,
  );
  await expect(rowOf(NOT_READY.name).locator('[data-readiness]')).toHaveText('Not ready');
  // Nobody described this one's IdP: a muted "Unknown", not a warning badge.
  const unknown = rowOf(SEED.initech.name);
  await expect(unknown.getByText('Unknown', { exact: true })).toBeVisible();
  await expect(unknown.locator('[data-readiness]')).toHaveCount(0);
  await expectNoAxeViolations(page);
});
