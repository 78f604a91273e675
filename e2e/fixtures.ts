import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { E2E } from './env';

export const DEMO_PASSWORD = 'demo-password';

export const DEMO_USERS = [
  { key: 'alice', email: 'alice@example.com', name: 'Alice Rotator', role: 'rotator' },
  { key: 'bob', email: 'bob@example.com', name: 'Bob Viewer', role: 'viewer' },
  { key: 'carol', email: 'carol@example.com', name: 'Carol Nobody', role: null },
  // Roles per tenant (rotator:dev, viewer:prod): none in the shared stack's one tenant, demo-tenant.
  { key: 'dave', email: 'dave@example.com', name: 'Dave Developer', role: null },
] as const;

export type DemoUserKey = (typeof DEMO_USERS)[number]['key'];

export function storageStatePath(user: DemoUserKey): string {
  return `${E2E.authDir}/${user}.json`;
}

/** The signed-in user's cookies (from the setup project's storage state), for a request made outside the browser. */
export function cookieOf(user: DemoUserKey): string {
  const state = JSON.parse(readFileSync(storageStatePath(user), 'utf8')) as {
    cookies: { name: string; value: string }[];
  };
  return state.cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}

/**
 * The full sign-in: Keyshift's page, then the emulator's Universal-Login-like form, then back to `returnTo` (a path
 * that must send a signed-out visitor to /signin). `appUrl` is the shared stack's unless a spec or bench started its own.
 */
export async function signIn(page: Page, email: string, returnTo = '/', appUrl = E2E.appUrl): Promise<void> {
  await page.goto(new URL(returnTo, appUrl).href);
  await expect(page).toHaveURL(/\/signin/);
  await page.getByRole('button', { name: 'Sign in with Auth0' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((url) => url.origin === new URL(appUrl).origin && !url.pathname.startsWith('/api/auth'));
}

/** Talks to the emulator's admin API: counters and faults. */
export const emulator = {
  async reset(): Promise<void> {
    const response = await fetch(`${E2E.emulatorUrl}/__emulator/reset`, { method: 'POST' });
    expect(response.ok).toBe(true);
  },
  async calls(): Promise<Record<string, unknown>> {
    const response = await fetch(`${E2E.emulatorUrl}/__emulator/calls`);
    return (await response.json()) as Record<string, unknown>;
  },
  /** How many rotate calls the emulator has taken for the connection since its last reset. */
  async rotationsOf(connectionId: string): Promise<number> {
    const calls = (await emulator.calls()) as { rotations?: Record<string, number> };
    return calls.rotations?.[connectionId] ?? 0;
  },
  async clearCalls(): Promise<void> {
    await fetch(`${E2E.emulatorUrl}/__emulator/calls`, { method: 'DELETE' });
  },
};

/** axe-core on the page as it is now; the message names each rule and the elements that break it. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const found = results.violations.map(
    (violation) =>
      `${violation.id}: ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
  expect(found).toEqual([]);
}
