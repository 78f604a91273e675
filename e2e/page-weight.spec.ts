import { expect, test } from '@playwright/test';
import { kb, pageWeightBudget, weighPage } from '../bench/support/page-weight';
import { E2E } from './env';
import { storageStatePath } from './fixtures';

// Not a timing test: it counts bytes. The budget is the figure `npx tsx bench/page-weight.ts` measured, plus 10 %;
// raise it deliberately (and say why) rather than silently.
test('the JavaScript that / loads stays within its budget', async ({ browser }) => {
  const { homeGzipJsBytes } = pageWeightBudget();
  const context = await browser.newContext({ storageState: storageStatePath('alice') });
  const page = await context.newPage();
  const weight = await weighPage(page, `${E2E.appUrl}/`);
  expect(weight.status).toBe(200);
  await expect(page.getByRole('heading', { name: 'Connections' })).toBeVisible();
  expect(weight.scripts).toBeGreaterThan(0);
  expect(
    weight.gzipJs,
    `/ loads ${kb(weight.gzipJs)} of gzip JavaScript in ${weight.scripts} scripts; the budget is ${kb(homeGzipJsBytes)}`,
  ).toBeLessThanOrEqual(homeGzipJsBytes);
  await context.close();
});
