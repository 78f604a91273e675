import { readFileSync, writeFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { TENANT_DOMAIN } from '../emulator/tenant';
import { downloadFile } from '../lib/certs/download';
import { opensslFingerprint } from '../lib/testing/openssl';
import { E2E } from './env';
import { emulator, expectNoAxeViolations, storageStatePath } from './fixtures';
import { confirmRotation } from './rotate-dialog';
import { SEED } from './seed';

test.use({ storageState: storageStatePath('alice') });
test.beforeEach(async ({ context }) => {
  await emulator.reset();
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
});

const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

/** The connection's JWKS as an IdP reads it from the emulator: the published key for `kid`. */
async function publishedJwk(connectionName: string, kid: string) {
  const response = await fetch(`${E2E.emulatorUrl}/oauth/connection/${connectionName}/.well-known/jwks.json`);
  const { keys } = (await response.json()) as {
    keys: { kid: string; n?: string; e?: string; x?: string; y?: string }[];
  };
  return keys.find((key) => key.kid === kid);
}

async function rotate(page: Page, connection: { id: string; name: string }, alg: string) {
  await page.goto(`/connections/${connection.id}`);
  await page.getByRole('button', { name: 'Rotate keys' }).click();
  const dialog = page.getByRole('dialog', { name: `Rotate the keys of ${connection.name}` });
  await dialog.getByLabel('Signing algorithm').selectOption(alg);
  await confirmRotation(dialog, connection.name);
  await dialog.getByRole('button', { name: 'Rotate keys' }).click();
  await expect(dialog).toHaveCount(0);
  return page.getByRole('region', { name: 'Keys rotated' });
}

test('after a rotation the result panel copies the new next key as a JWK, downloads a one-key JWKS and copies the JWKS URL', async ({
  page,
}, testInfo) => {
  const connection = SEED.umbrella;
  const result = await rotate(page, connection, 'PS384');
  const kid = await result
    .locator('div', { has: page.locator('dt:text-is("Key id (kid)")') })
    .locator('dd')
    .innerText();
  const handOff = result.getByRole('region', { name: 'Hand the new key to the identity provider' });

  await handOff.getByRole('button', { name: 'Copy JWK', exact: true }).click();
  await expect(handOff.getByText('Copied', { exact: true })).toBeVisible();
  const jwk = JSON.parse(await clipboard(page));
  expect(jwk).toMatchObject({ kty: 'RSA', kid, use: 'sig', alg: 'PS384' });
  // The same public key the connection publishes, and x5c is the certificate whose fingerprint x5t carries.
  const published = await publishedJwk(connection.name, kid);
  expect({ n: jwk.n, e: jwk.e }).toEqual({ n: published?.n, e: published?.e });
  const derPath = testInfo.outputPath('x5c.cer');
  writeFileSync(derPath, Buffer.from(jwk.x5c[0], 'base64'));
  expect(opensslFingerprint(derPath, 'DER').replaceAll(':', '')).toBe(
    Buffer.from(jwk.x5t, 'base64url').toString('hex').toUpperCase(),
  );

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    handOff.getByRole('button', { name: 'Download .jwks.json' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(downloadFile(connection.name, kid, 'jwks').filename);
  expect(JSON.parse(readFileSync(await download.path(), 'utf8'))).toEqual({ keys: [jwk] });

  await handOff.getByRole('button', { name: 'Copy JWKS URL' }).click();
  await expect
    .poll(() => clipboard(page))
    .toBe(`https://${TENANT_DOMAIN}/oauth/connection/${connection.name}/.well-known/jwks.json`);
  await expectNoAxeViolations(page);
});

test('the keys table copies the next key as a JWK and downloads it as .jwk.json', async ({ page }) => {
  const connection = SEED.acme;
  await page.goto(`/connections/${connection.id}`);
  // Next first: the order in which the keys will be used.
  const nextRow = page
    .getByRole('table', { name: /^Signing keys of / })
    .locator('tbody tr')
    .first();
  await expect(nextRow).toContainText(/next/i);
  const kid = (await nextRow.getAttribute('data-kid')) ?? '';
  await nextRow.getByRole('button', { name: 'Copy' }).click();
  await page.getByRole('menuitem', { name: 'JWK', exact: true }).click();
  await expect(nextRow.getByText('Copied JWK')).toBeVisible();
  const jwk = JSON.parse(await clipboard(page));
  const published = await publishedJwk(connection.name, kid);
  expect(jwk).toMatchObject({ kid, use: 'sig', kty: 'RSA', n: published?.n, e: published?.e });

  await nextRow.getByRole('button', { name: 'Download' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('menuitem', { name: 'JWK (.jwk.json)' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(downloadFile(connection.name, kid, 'jwk').filename);
  expect(JSON.parse(readFileSync(await download.path(), 'utf8'))).toEqual(jwk);
});
