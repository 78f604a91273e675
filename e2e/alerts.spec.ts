import { createServer, type Server } from 'node:http';
import { expect, test } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import { E2E } from './env';
import { expectNoAxeViolations, storageStatePath } from './fixtures';
import { confirmRotation } from './rotate-dialog';
import { SEED } from './seed';

const connection = SEED.umbrella;

interface Delivery {
  id: string;
  body: { type: string; data: { connection: { id: string }; kid: string | null; url: string } };
}

/** The stack's NOTIFY_WEBHOOK_URLS receiver: it keeps what verifies under the stack's secret and refuses the rest. */
let receiver: Server;
const verified: Delivery[] = [];
let refused = 0;

test.beforeAll(async () => {
  const url = new URL(E2E.webhookUrl);
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      try {
        new Webhook(E2E.webhookSecret).verify(body, req.headers as Record<string, string>);
        verified.push({ id: String(req.headers['webhook-id']), body: JSON.parse(body) as Delivery['body'] });
        res.statusCode = 204;
      } catch {
        refused += 1;
        res.statusCode = 400;
      }
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(Number(url.port), url.hostname, resolve));
});
test.afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
});

test.describe('a rotator', () => {
  test.use({ storageState: storageStatePath('alice') });

  test('rotates in the browser; a signed webhook reaches the receiver, and the Alerts page shows it sent', async ({
    page,
  }) => {
    await page.goto(`/${E2E.tenant}/connections/${connection.id}`);
    await page.getByRole('button', { name: 'Rotate keys' }).click();
    const dialog = page.getByRole('dialog', { name: `Rotate the keys of ${connection.name}` });
    await confirmRotation(dialog, connection.name);
    await dialog.getByRole('button', { name: 'Rotate keys' }).click();
    const result = page.getByRole('region', { name: 'Keys rotated' });
    await expect(result).toBeVisible();

    // The notifier looks every 15 s; then the one send.
    await expect
      .poll(
        () =>
          verified.filter((d) => d.body.type === 'rotation.succeeded' && d.body.data.connection.id === connection.id)
            .length,
        { timeout: 45_000 },
      )
      .toBe(1);
    const delivery = verified.find((d) => d.body.data.connection.id === connection.id) as Delivery;
    expect(delivery.id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(delivery.body.data.url).toBe(`${E2E.appUrl}/${E2E.tenant}/connections/${connection.id}`);
    expect(refused).toBe(0);

    await page.goto(`/${E2E.tenant}/alerts`);
    await expect(page.getByRole('region', { name: 'Channels' })).toContainText('Webhook → http://127.0.0.1:');
    const item = page
      .getByRole('list', { name: 'Deliveries' })
      .getByRole('listitem')
      .filter({ hasText: `Keys rotated: ${connection.name}` })
      .first();
    await expect(item.locator('[data-status]')).toHaveText('Sent');
    await expect(item).toContainText('1 attempt');
    await expectNoAxeViolations(page);
  });
});

test('a viewer has no Alerts page or link', async ({ browser }) => {
  const context = await browser.newContext({ storageState: storageStatePath('bob') });
  const page = await context.newPage();
  await page.goto(`/${E2E.tenant}`);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Fleet' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' })).toHaveCount(0);
  // The page refuses them: they land on a page of theirs, never on the deliveries.
  await page.goto(`/${E2E.tenant}/alerts`);
  await expect(page).not.toHaveURL(/\/alerts/);
  await expect(page.getByRole('list', { name: 'Deliveries' })).toHaveCount(0);
  await context.close();
});
