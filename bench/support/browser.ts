/**
 * The browser side of the benches: Debian's Chromium driven by Playwright, signed in through the emulator's login
 * page of a stack started with e2e/stack.ts. The benches import the end-to-end harness, never the other way round.
 */
import { type Browser, type BrowserContext, chromium } from '@playwright/test';
import { CHROMIUM } from '../../e2e/env';
import { signIn } from '../../e2e/fixtures';

export { CHROMIUM };

export function launchChromium(): Promise<Browser> {
  return chromium.launch(CHROMIUM);
}

/**
 * A context signed in on `appUrl`, which lands on `returnTo`: its path must not be `/` when a benchmark wants to see
 * the connection list cold.
 */
export async function signedInContext(
  browser: Browser,
  appUrl: string,
  email = 'alice@example.com',
  returnTo = '/',
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signIn(page, email, returnTo, appUrl);
  await page.close();
  return context;
}

export function cookieHeader(cookies: { name: string; value: string }[]): string {
  return cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}
