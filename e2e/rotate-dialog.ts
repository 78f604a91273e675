import { expect, type Locator } from '@playwright/test';

/** The readiness gate's checkbox in the rotate dialog, named by the consequence it acknowledges. */
export function gateAcknowledgment(dialog: Locator): Locator {
  return dialog.getByRole('checkbox', { name: /^I understand that sign-ins through / });
}

/** The readiness the dialog shows for the next key, once it has loaded: `ready`, `not_ready` or `unknown`. */
export async function dialogReadiness(dialog: Locator): Promise<string> {
  const badge = dialog.locator('[data-readiness]');
  await expect(badge).toBeVisible();
  return (await badge.getAttribute('data-readiness')) ?? '';
}

/**
 * For specs about something other than the gate: acknowledges it when the dialog asks (the connection's IdP is not
 * known to trust the next key, as for every seed connection nobody configured), as an operator rotating anyway would.
 * e2e/gate.spec.ts tests the gate itself.
 */
export async function acknowledgeIfAsked(dialog: Locator): Promise<void> {
  if ((await dialogReadiness(dialog)) !== 'ready') await gateAcknowledgment(dialog).check();
}

/** Acknowledges the gate if asked, then types the connection's name: the dialog is ready to rotate. */
export async function confirmRotation(dialog: Locator, name: string): Promise<void> {
  await acknowledgeIfAsked(dialog);
  await dialog.getByLabel(`Type ${name} to confirm`).fill(name);
}
