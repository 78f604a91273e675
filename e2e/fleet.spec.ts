import { readFile } from 'node:fs/promises';
import { expect, type Page, test } from '@playwright/test';
import { E2E } from './env';
import { cookieOf, expectNoAxeViolations, storageStatePath } from './fixtures';
import { SEED } from './seed';
import { callServerAction } from './server-actions';

const FLEET = `/${E2E.tenant}/fleet`;
const connection = SEED.acme;

/** The fleet once the inventory, started with the server, has read the tenant: reloaded until the connection shows. */
async function openFleet(page: Page): Promise<void> {
  await expect(async () => {
    await page.goto(FLEET);
    await page.getByRole('searchbox', { name: 'Search' }).fill(connection.name);
    await expect(page.getByRole('table', { name: 'Fleet' }).getByRole('link', { name: connection.name })).toBeVisible({
      timeout: 1_000,
    });
  }).toPass({ timeout: 60_000 });
  await page.getByRole('searchbox', { name: 'Search' }).fill('');
}

function total(text: string): number {
  const match = /(\d+) connections/.exec(text);
  if (!match?.[1]) throw new Error(`no count in "${text}"`);
  return Number(match[1]);
}

test.describe('a rotator', () => {
  test.use({ storageState: storageStatePath('alice') });

  test('sees every key-capable connection with counts, sorts, filters and downloads what is shown', async ({
    page,
  }) => {
    await openFleet(page);
    const table = page.getByRole('table', { name: 'Fleet' });
    const shown = page.getByText(/^\d+ connections$/);
    const all = total(await shown.innerText());
    expect(all).toBe(7); // the demo seed's key-capable connections (Okta / OIDC with Private Key JWT)
    const counts = page.getByRole('region', { name: 'Counts' });
    let sum = 0;
    for (const state of ['overdue', 'due_soon', 'ok', 'no_key']) {
      sum += Number(await counts.locator(`[data-count="${state}"]`).innerText());
    }
    expect(sum).toBe(all);

    // Sorted by due date at first; by name, then by name descending.
    const byName = table.getByRole('columnheader', { name: 'Connection' });
    await byName.getByRole('button').click();
    await expect(byName).toHaveAttribute('aria-sort', 'ascending');
    await expect(table.getByRole('columnheader', { name: 'Due' })).toHaveAttribute('aria-sort', 'none');
    const first = await table.getByRole('row').nth(1).getByRole('link').innerText();
    await byName.getByRole('button').click();
    await expect(byName).toHaveAttribute('aria-sort', 'descending');
    await expect(table.getByRole('row').nth(1).getByRole('link')).not.toHaveText(first);

    // A state's card filters to it, and says how many of all are shown.
    const ok = Number(await counts.locator('[data-count="ok"]').innerText());
    await counts.getByRole('button', { name: /OK/ }).click();
    await expect(page.getByText(ok === all ? `${all} connections` : `${ok} of ${all} connections`)).toBeVisible();
    await counts.getByRole('button', { name: /OK/ }).click();

    await page.getByRole('searchbox', { name: 'Search' }).fill(connection.name);
    await expect(page.getByText(`1 of ${all} connections`)).toBeVisible();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV (1)' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(new RegExp(`^keyshift-fleet-${E2E.tenant}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const lines = (await readFile((await file.path()) as string, 'utf8')).trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^tenant,connection_id,connection,strategy,state,due_at,/);
    expect(lines[1]).toContain(`${E2E.tenant},${connection.id},${connection.name},`);
    await expectNoAxeViolations(page);
  });

  test('sets a connection’s period: its due date and state change, the trail records it, and it can be removed', async ({
    page,
  }) => {
    await page.goto(`/${E2E.tenant}/connections/${connection.id}`);
    const panel = page.getByRole('region', { name: 'Rotation policy' });
    await expect(panel.getByText(/Every \d+ days \(the (configured default|tenant’s period)\)/)).toBeVisible();
    await panel.getByRole('button', { name: 'Change the period' }).click();
    const form = panel.getByRole('form', { name: 'Rotation period of this connection' });
    await form.getByLabel('Rotate this connection every').fill('1');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(panel.getByText('Every 1 day (this connection’s own period)')).toBeVisible();
    // The current key became current when the emulator started (or was reset): due within a day at most.
    await expect(panel.locator('[data-state]')).toHaveAttribute('data-state', /^(due_soon|overdue)$/);

    await openFleet(page);
    await page.getByRole('searchbox', { name: 'Search' }).fill(connection.name);
    const row = page.getByRole('table', { name: 'Fleet' }).getByRole('row').nth(1);
    await expect(row.locator('[data-state]')).toHaveAttribute('data-state', /^(due_soon|overdue)$/);

    // The whole chain (the tenant's filtered export holds rotations): the newest change of this connection's period.
    const exported = await page.request.get('/audit/export?scope=chain&format=json');
    const events = ((await exported.json()) as { events: { type: string; connectionId: string; details: unknown }[] })
      .events;
    const changes = events.filter((e) => e.type === 'policy.period_changed' && e.connectionId === connection.id);
    expect(changes.at(-1)?.details).toMatchObject({
      scope: 'connection',
      to: 1,
    });

    await page.goto(`/${E2E.tenant}/connections/${connection.id}`);
    await panel.getByRole('button', { name: 'Change the period' }).click();
    await form.getByRole('button', { name: /^Use the (tenant|configured default)’s$/ }).click();
    await expect(panel.getByText(/Every \d+ days \(the (configured default|tenant’s period)\)/)).toBeVisible();
  });
});

test('a viewer reads the fleet and the policy, cannot change a period, and a forged change is refused', async ({
  browser,
}) => {
  const context = await browser.newContext({ storageState: storageStatePath('bob') });
  const page = await context.newPage();
  await openFleet(page);
  await expect(page.getByRole('button', { name: 'Change the period' })).toHaveCount(0);
  await page.goto(`/${E2E.tenant}/connections/${connection.id}`);
  await expect(page.getByRole('region', { name: 'Rotation policy' }).getByText(/Every \d+ days/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Change the period' })).toHaveCount(0);
  const forged = await callServerAction('setRotationPeriodAction', [{ connectionId: connection.id, periodDays: 7 }], {
    cookie: cookieOf('bob'),
  });
  expect(forged.text).toContain('"code":"forbidden"');
  await context.close();
});

test('a bad period is refused with a sentence naming the limit', async () => {
  const response = await callServerAction('setRotationPeriodAction', [{ connectionId: null, periodDays: 0 }], {
    cookie: cookieOf('alice'),
  });
  expect(response.text).toContain('"code":"invalid_input"');
  expect(response.text).toContain('The period must be at least 1 day.');
});

test('/metrics answers Prometheus with the bearer token only', async () => {
  const url = `${E2E.appUrl}/metrics`;
  const anonymous = await fetch(url);
  expect(anonymous.status).toBe(401);
  expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
  expect((await fetch(url, { headers: { authorization: 'Bearer wrong-token-of-some-length' } })).status).toBe(401);
  // A session cookie is no way in either.
  expect((await fetch(url, { headers: { cookie: cookieOf('alice') } })).status).toBe(401);
  await expect(async () => {
    const scraped = await fetch(url, { headers: { authorization: `Bearer ${E2E.metricsToken}` } });
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await scraped.text();
    expect(text).toMatch(
      new RegExp(
        `^keyshift_key_age_seconds\\{tenant="${E2E.tenant}",connection_id="${connection.id}",connection="${connection.name}"\\} \\d`,
        'm',
      ),
    );
    expect(text).toContain('# TYPE keyshift_rotations_total counter');
  }).toPass({ timeout: 60_000 });
});
