import { expect, type Page, test } from '@playwright/test';
import { E2E } from './env';
import { storageStatePath } from './fixtures';
import { kb, pageWeightBudget, weighPage } from './page-weight';
import { SEED } from './seed';

// Not timing tests: they count bytes. Each budget is the figure `npx tsx bench/page-weight.ts` measured, plus 10 %;
// raise one deliberately (and say why) rather than silently.
test.use({ storageState: storageStatePath('alice') });

test('the JavaScript that / loads stays within its budget', async ({ page }) => {
  const { homeGzipJsBytes } = pageWeightBudget();
  const weight = await weighPage(page, `${E2E.appUrl}/`);
  expect(weight.status).toBe(200);
  await expect(page.getByRole('heading', { name: 'Connections' })).toBeVisible();
  expect(weight.scripts).toBeGreaterThan(0);
  expect(
    weight.gzipJs,
    `/ loads ${kb(weight.gzipJs)} of gzip JavaScript in ${weight.scripts} scripts; the budget is ${kb(homeGzipJsBytes)}`,
  ).toBeLessThanOrEqual(homeGzipJsBytes);
});

/** The text of every script that arrives from now on. */
function scriptsFromNow(page: Page): Promise<string>[] {
  const texts: Promise<string>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script' && response.ok()) texts.push(response.text());
  });
  return texts;
}

const holds = async (scripts: Promise<string>[], text: string) =>
  (await Promise.all(scripts)).some((script) => script.includes(text));

test('a connection page stays within its budget: the rotate dialog and the key menus load when first opened', async ({
  page,
}) => {
  const { connectionGzipJsBytes } = pageWeightBudget();
  const initial = scriptsFromNow(page);
  const weight = await weighPage(page, `${E2E.appUrl}/connections/${SEED.acme.id}`);
  expect(weight.status).toBe(200);
  expect(
    weight.gzipJs,
    `a connection page loads ${kb(weight.gzipJs)} of gzip JavaScript; the budget is ${kb(connectionGzipJsBytes)}`,
  ).toBeLessThanOrEqual(connectionGzipJsBytes);
  // Strings found only in the dialog's and the menus' own modules.
  expect(await holds(initial, 'What will happen')).toBe(false);
  expect(await holds(initial, 'PKCS#7 (.p7b)')).toBe(false);
  initial.length = 0;

  const rotate = page.getByRole('button', { name: 'Rotate keys' });
  await rotate.click();
  await expect(page.getByRole('dialog', { name: `Rotate the keys of ${SEED.acme.name}` })).toBeVisible();
  expect(await holds(initial, 'What will happen')).toBe(true);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(rotate).toBeFocused();

  const current = page
    .getByRole('table', { name: /^Signing keys of / })
    .locator('tbody tr')
    .filter({ hasText: 'current' });
  await current.getByRole('button', { name: 'Download' }).click();
  await expect(page.getByRole('menuitem', { name: 'PKCS#7 (.p7b)' })).toBeVisible();
  expect(await holds(initial, 'PKCS#7 (.p7b)')).toBe(true);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toHaveCount(0);
  await expect(current.getByRole('button', { name: 'Download' })).toBeFocused();
});
