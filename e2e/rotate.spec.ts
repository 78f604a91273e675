import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { downloadFile } from '../lib/certs/download';
import { opensslFingerprint, opensslPkcs7Fingerprint } from '../lib/testing/openssl';
import { E2E } from './env';
import { emulator, expectNoAxeViolations, storageStatePath } from './fixtures';
import { acknowledgeIfAsked, confirmRotation } from './rotate-dialog';
import { SEED } from './seed';

const ALGORITHMS = [
  ['RS256', 'RSA 2048-bit'],
  ['RS384', 'RSA 2048-bit'],
  ['RS512', 'RSA 2048-bit'],
  ['PS256', 'RSA 2048-bit'],
  ['PS384', 'RSA 2048-bit'],
  ['ES256', 'EC P-256'],
  ['ES384', 'EC P-384'],
] as const;

test.use({ storageState: storageStatePath('alice') });
test.beforeEach(async () => {
  await emulator.reset();
});

async function openRotateDialog(page: Page, connection: { id: string; name: string }) {
  await page.goto(`/connections/${connection.id}`);
  await page.getByRole('button', { name: 'Rotate keys' }).click();
  return page.getByRole('dialog', { name: `Rotate the keys of ${connection.name}` });
}

async function rotate(page: Page, connection: { id: string; name: string }, alg: string) {
  const dialog = await openRotateDialog(page, connection);
  await dialog.getByLabel('Signing algorithm').selectOption(alg);
  await confirmRotation(dialog, connection.name);
  await dialog.getByRole('button', { name: 'Rotate keys' }).click();
  await expect(dialog).toHaveCount(0);
  return page.getByRole('region', { name: 'Keys rotated' });
}

function fact(result: ReturnType<Page['getByRole']>, label: string) {
  return result.locator('div', { has: result.page().locator(`dt:text-is("${label}")`) }).locator('dd');
}

/** The connection's keys as Auth0 (the emulator) has them, through its Management API. */
async function upstreamKeys(connectionId: string) {
  const token = await fetch(`${E2E.emulatorUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'demo-readonly',
      client_secret: 'demo-readonly-secret',
      audience: 'https://demo-tenant.local/api/v2/',
    }),
  }).then((response) => response.json() as Promise<{ access_token: string }>);
  const response = await fetch(`${E2E.emulatorUrl}/api/v2/connections/${connectionId}/keys`, {
    headers: { authorization: `Bearer ${token.access_token}` },
  });
  return (await response.json()) as { kid: string; current?: boolean; next?: boolean; previous?: boolean }[];
}

for (const [alg, keyDescription] of ALGORITHMS) {
  test(`rotates with ${alg} and shows a verified, published ${keyDescription} key`, async ({ page }) => {
    const result = await rotate(page, SEED.hooli, alg);
    await expect(fact(result, 'Algorithm')).toHaveText(alg);
    await expect(fact(result, 'Public key')).toHaveText(keyDescription);
    await expect(fact(result, 'Key use')).toHaveText('signing');
    await expect(fact(result, 'Next')).toContainText('Yes');
    await expect(result.getByText('✓ Verified against the certificate')).toBeVisible();
    await expect(result.getByText(/published in the connection’s JWKS/)).toBeVisible();
    const kid = await fact(result, 'Key id (kid)').innerText();
    await expect(fact(result, 'SHA-1 fingerprint (computed)')).toHaveText(
      await fact(result, 'SHA-1 fingerprint (from Auth0)').innerText(),
    );
    const nextRow = page
      .getByRole('table', { name: /^Signing keys of / })
      .locator('tbody tr')
      .filter({ hasText: 'next' });
    await expect(nextRow).toContainText(kid);
    expect(await emulator.rotationsOf(SEED.hooli.id)).toBe(1);
  });
}

test('the JWKS is checked once the new key is shown, and Check again asks again', async ({ page }) => {
  await fetch(`${E2E.emulatorUrl}/__emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ route: 'GET /oauth/connection/{name}/.well-known/jwks.json', kind: 'status', status: 503 }),
  });
  const result = await rotate(page, SEED.initech, 'ES256');
  await expect(fact(result, 'Key id (kid)')).not.toBeEmpty();
  const status = result.getByRole('status').filter({ hasText: 'JWKS' });
  await expect(status).toHaveText('Keyshift could not check the connection’s JWKS: The JWKS answered 503.');
  await result.getByRole('button', { name: 'Check again' }).click();
  await expect(status).toHaveText(/^The new key is published in the connection’s JWKS/);
  await expect(result.getByRole('button', { name: 'Check again' })).toHaveCount(0);
  // The URL checked stands beside the sentence (the hand-off region below names it too).
  await expect(
    status.locator('xpath=..').getByText(`/oauth/connection/${SEED.initech.name}/.well-known/jwks.json`),
  ).toBeVisible();
  expect(await emulator.rotationsOf(SEED.initech.id)).toBe(1);
});

test('the new certificate downloads as .pem, .p7b and .cer that openssl accepts, and Copy puts exactly the PEM on the clipboard', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const result = await rotate(page, SEED.globex, 'ES256');
  const fingerprint = await fact(result, 'SHA-1 fingerprint (computed)').innerText();
  const kid = await fact(result, 'Key id (kid)').innerText();
  const files: Record<string, string> = {};
  for (const [button, extension, check] of [
    ['Download .pem', 'pem', (path: string) => opensslFingerprint(path, 'PEM')],
    ['Download .p7b', 'p7b', opensslPkcs7Fingerprint],
    ['Download .cer (DER)', 'cer', (path: string) => opensslFingerprint(path, 'DER')],
  ] as const) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      result.getByRole('button', { name: button }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(downloadFile(SEED.globex.name, kid, extension).filename);
    files[extension] = await download.path();
    expect(check(files[extension])).toBe(fingerprint);
  }
  // Exactly the PEM Auth0 returned, byte for byte (the .pem download is that text, untouched).
  const pem = readFileSync(files.pem ?? '', 'utf8');
  expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
  await result.getByRole('button', { name: 'Copy Certificate (PEM)' }).click();
  await expect(result.getByText('Copied', { exact: true })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(pem);
  await expectNoAxeViolations(page);
});

test('after three rotations the lifecycle on screen matches Auth0', async ({ page }) => {
  for (const alg of ['RS256', 'ES256', 'PS256']) await rotate(page, SEED.stark, alg);
  const upstream = await upstreamKeys(SEED.stark.id);
  const rows = page.getByRole('table').locator('tbody tr');
  await expect(rows).toHaveCount(upstream.length);
  for (const status of ['current', 'next', 'previous'] as const) {
    const expected = upstream.find((key) => key[status]);
    expect(expected, `Auth0 has a ${status} key`).toBeTruthy();
    await expect(rows.filter({ has: page.getByText(status, { exact: true }) })).toContainText(expected?.kid ?? '');
  }
  expect(await emulator.rotationsOf(SEED.stark.id)).toBe(3);
});

test('the confirm button stays disabled until the exact name is typed', async ({ page }) => {
  const dialog = await openRotateDialog(page, SEED.acme);
  const confirm = dialog.getByRole('button', { name: 'Rotate keys' });
  await expect(confirm).toBeDisabled();
  await expectNoAxeViolations(page);
  // The readiness gate is acknowledged first (e2e/gate.spec.ts tests it), so only the name holds the button back.
  await acknowledgeIfAsked(dialog);
  for (const wrong of ['okta', 'OKTA-ACME', `${SEED.acme.name} `]) {
    await dialog.getByLabel(`Type ${SEED.acme.name} to confirm`).fill(wrong);
    await expect(confirm).toBeDisabled();
  }
  await dialog.getByLabel(`Type ${SEED.acme.name} to confirm`).fill(SEED.acme.name);
  await expect(confirm).toBeEnabled();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  expect(await emulator.rotationsOf(SEED.acme.id)).toBe(0);
});

test('the dialog defaults to the current key’s algorithm', async ({ page }) => {
  const dialog = await openRotateDialog(page, SEED.initech);
  await expect(dialog.getByLabel('Signing algorithm')).toHaveValue('ES256');
});

test('a double click produces exactly one rotation', async ({ page }) => {
  const dialog = await openRotateDialog(page, SEED.umbrella);
  await confirmRotation(dialog, SEED.umbrella.name);
  await dialog.getByRole('button', { name: 'Rotate keys' }).dblclick();
  await expect(page.getByRole('region', { name: 'Keys rotated' })).toBeVisible();
  expect(await emulator.rotationsOf(SEED.umbrella.id)).toBe(1);
});

test('an Auth0 failure is shown in the dialog and changes nothing on screen', async ({ page }) => {
  await page.goto(`/connections/${SEED.acme.id}`);
  const tbody = page.getByRole('table').locator('tbody');
  const before = await tbody.innerText();
  await fetch(`${E2E.emulatorUrl}/__emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // Two: after one 429 Keyshift waits for the reset and tries once more (Auth0 did nothing), so only a second fails.
    body: JSON.stringify({ route: 'POST /api/v2/connections/{id}/keys/rotate', kind: 'status', status: 429, count: 2 }),
  });
  await page.getByRole('button', { name: 'Rotate keys' }).click();
  const dialog = page.getByRole('dialog');
  await confirmRotation(dialog, SEED.acme.name);
  await dialog.getByRole('button', { name: 'Rotate keys' }).click();
  await expect(dialog.getByRole('alert')).toContainText('rate limit');
  await page.waitForLoadState('networkidle');
  expect(await tbody.innerText()).toBe(before);
  expect(await emulator.rotationsOf(SEED.acme.id)).toBe(0);
});
