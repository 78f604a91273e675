import { chromium } from '@playwright/test';
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args });
const base = 'http://localhost:3000';
async function session(width) {
  const context = await browser.newContext({ viewport: { width, height: width > 500 ? 900 : 844 } });
  const page = await context.newPage();
  await page.goto(`${base}/prod/campaigns`);
  await page.getByRole('button', { name: 'Sign in with Auth0' }).click();
  await page.getByLabel('Email').fill('alice@example.com');
  await page.getByLabel('Password').fill('demo-password');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(/\/prod\/campaigns/);
  return page;
}
const mode = process.argv[2] ?? 'plan';
for (const width of [1366, 390]) {
  const page = await session(width);
  await page.screenshot({ path: `/tmp/shots/campaigns-${width}.png`, fullPage: true });
  await page.getByLabel('All overdue or due within 30 days').check();
  await page.getByLabel(/Also rotate connections whose IdP/).check();
  await page.getByRole('button', { name: 'Show the plan' }).click();
  await page.getByTestId('plan-summary').waitFor();
  await page.screenshot({ path: `/tmp/shots/plan-${width}.png`, fullPage: true });
  if (mode === 'start' && width === 1366) {
    const phrase = await page.locator('strong.font-mono').textContent();
    await page.getByLabel(/Type/).fill(phrase);
    await page.getByRole('button', { name: /Start: rotate/ }).click();
    await page.waitForURL(/campaigns\/[0-9a-f-]{36}/);
    await page.screenshot({ path: `/tmp/shots/progress-early-${width}.png`, fullPage: true });
    await page.getByTestId('campaign-state').and(page.locator('[data-state=finished]')).waitFor({ timeout: 60000 });
    await page.screenshot({ path: `/tmp/shots/progress-${width}.png`, fullPage: true });
    console.log(page.url());
  }
  await page.context().close();
}
await browser.close();
