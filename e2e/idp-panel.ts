import { expect, type Page } from '@playwright/test';

/** Records through the connection page's IdP panel that the connection's IdP admin pastes keys; returns the panel. */
export async function setPasted(page: Page, connection: { id: string }) {
  await page.goto(`/connections/${connection.id}`);
  const panel = page.getByRole('region', { name: 'Identity provider' });
  await panel.getByRole('button', { name: 'Edit IdP settings' }).click();
  const form = panel.getByRole('form', { name: 'Identity provider settings' });
  await form.getByLabel('Its admin pastes each key').check();
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form).toHaveCount(0);
  return panel;
}
