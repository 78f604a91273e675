import { type Browser, type BrowserContext, expect, type Page, test } from '@playwright/test';
import { E2E } from './env';
import { emulator, expectNoAxeViolations, storageStatePath } from './fixtures';
import { SEED } from './seed';
import { noteSkippedForPostgres, postgresReachable, Stack } from './stack';

/**
 * The hand-off link: a rotator makes and copies one; an IdP admin with no Keyshift account opens it in a browser
 * with no cookies at all; revoked, tampered and expired links show no key material; every open is in the trail.
 */
test.use({ storageState: storageStatePath('alice') });

const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());
const SIGNED_OUT = { storageState: { cookies: [], origins: [] } };

async function createLink(page: Page, connectionId: string, days = '7 days'): Promise<string> {
  await page.goto(`/connections/${connectionId}`);
  const panel = page.getByRole('region', { name: 'Hand-off links' });
  await panel.getByLabel('Valid for').selectOption({ label: days });
  await panel.getByRole('button', { name: 'Create hand-off link' }).click();
  const shown = panel.getByTestId('handoff-link-created');
  await expect(shown).toBeVisible();
  await panel.getByRole('button', { name: 'Copy the new link' }).click();
  await expect(panel.getByText('Copied', { exact: true })).toBeVisible();
  const copied = await clipboard(page);
  expect(copied).toBe(await shown.innerText());
  return copied;
}

/** The page's structure a signed-out visitor must not see: no key material of any kind. */
async function expectNoKeyMaterial(page: Page) {
  await expect(page.locator('textarea')).toHaveCount(0);
  await expect(page.getByText('BEGIN CERTIFICATE')).toHaveCount(0);
  await expect(page.getByText(/"kty"/)).toHaveCount(0);
}

async function signedOut(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(SIGNED_OUT);
  expect(await context.cookies()).toEqual([]);
  return { context, page: await context.newPage() };
}

test.describe('on the shared stack', () => {
  test.beforeEach(async ({ context }) => {
    await emulator.reset();
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  });

  test('a rotator makes a link; signed out, it shows the next key as Keyshift does, then revoked and tampered it shows nothing; every open is audited', async ({
    page,
    browser,
  }) => {
    const connection = SEED.acme;
    const url = await createLink(page, connection.id);
    expect(new URL(url).origin).toBe(new URL(E2E.appUrl).origin);
    expect(new URL(url).pathname).toMatch(/^\/handoff\/[A-Za-z0-9_-]{22}\.[0-9a-z]+\.[A-Za-z0-9_-]{43}$/);

    // What Keyshift's own page shows for the next key: its kid and its JWK.
    const nextRow = page
      .getByRole('table', { name: `Signing keys of ${connection.name}` })
      .locator('tbody tr')
      .first();
    await expect(nextRow).toContainText(/next/i);
    const nextKid = (await nextRow.getAttribute('data-kid')) ?? '';
    expect(nextKid).not.toBe('');
    await nextRow.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('menuitem', { name: 'JWK', exact: true }).click();
    await expect(nextRow.getByText('Copied JWK')).toBeVisible();
    const keyshiftJwk = JSON.parse(await clipboard(page));

    const visitor = await signedOut(browser);
    const response = await visitor.page.goto(url);
    expect(response?.status()).toBe(200);
    expect(visitor.page.url()).toBe(url); // not sent to sign in
    const headers = response?.headers() ?? {};
    expect(headers['cache-control']).toContain('no-store');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-robots-tag']).toContain('noindex');

    await expect(visitor.page.getByRole('heading', { level: 1 })).toContainText(connection.name);
    await expect(visitor.page.getByRole('region', { name: 'Which key to add' })).toContainText(nextKid);
    await expect(visitor.page.getByTestId('handoff-next-kid')).toHaveText(nextKid);
    const shownJwk = JSON.parse(await visitor.page.getByLabel('JWK (next key)').inputValue());
    expect(shownJwk).toEqual(keyshiftJwk);
    await expect(visitor.page.getByTestId('handoff-jwks-url')).toHaveText(
      new RegExp(`/oauth/connection/${connection.name}/\\.well-known/jwks\\.json$`),
    );
    const instructions = visitor.page.getByRole('region', { name: 'How to add it' });
    for (const idp of ['Okta', 'Microsoft Entra ID', 'Keycloak', 'Any other OIDC provider']) {
      await expect(instructions.getByRole('heading', { name: idp })).toBeVisible();
    }
    await expect(instructions).toContainText('Add key');
    await expect(instructions).toContainText('Use JWKS URL');
    // Only that connection, and no way into Keyshift from here.
    await expect(visitor.page.getByRole('link')).toHaveCount(0);
    await expect(visitor.page.getByText(SEED.globex.name)).toHaveCount(0);
    await expectNoAxeViolations(visitor.page);

    // Tampered: one character of the signature changed.
    const tampered = url.slice(0, -1) + (url.endsWith('A') ? 'B' : 'A');
    const refusedTampered = await visitor.page.goto(tampered);
    expect(refusedTampered?.status()).toBe(404);
    await expect(visitor.page.getByRole('heading', { name: 'This hand-off link is not valid' })).toBeVisible();
    await expect(visitor.page.getByText(/mistyped or incomplete/)).toBeVisible();
    await expectNoKeyMaterial(visitor.page);
    await expectNoAxeViolations(visitor.page);

    // Revoked in the UI, with a confirmation; the very next open is refused. The page still shows the link as just
    // created: that box goes with the revocation.
    const panel = page.getByRole('region', { name: 'Hand-off links' });
    await expect(panel.getByTestId('handoff-link-created')).toHaveText(url);
    const linkId = new URL(url).pathname.split('/')[2]?.split('.')[0] ?? '';
    const row = panel.locator(`tr[data-link-id="${linkId}"]`);
    await expect(row).toContainText('active');
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByRole('button', { name: 'Yes, revoke the link' }).click();
    await expect(row).toContainText('revoked');
    await expect(panel.getByTestId('handoff-link-created')).toHaveCount(0);
    await expect(row).toContainText('Alice Rotator');
    await expect(row.getByRole('button', { name: 'Copy link' })).toHaveCount(0);

    const refusedRevoked = await visitor.page.goto(url);
    expect(refusedRevoked?.status()).toBe(404);
    await expect(visitor.page.getByRole('heading', { name: 'This hand-off link is not valid' })).toBeVisible();
    await expect(visitor.page.getByText(/It was revoked on/)).toBeVisible();
    await expectNoKeyMaterial(visitor.page);
    await visitor.context.close();

    // The trail (its whole-chain export): created, opened and served, revoked, opened and refused; the tampered
    // token names no link.
    const exported = await page.request.get('/audit/export?scope=chain&format=json');
    expect(exported.status()).toBe(200);
    // Newest first, as the trail lists them; turned to the order they happened in.
    const events = ((await exported.json()) as { events: Record<string, unknown>[] }).events
      .filter((event) => (event.details as { linkId?: string } | null)?.linkId === linkId)
      .reverse();
    expect(events.map((event) => [event.type, event.errorCode ?? null])).toEqual([
      ['handoff.link_created', null],
      ['handoff.link_opened', null],
      ['handoff.link_revoked', null],
      ['handoff.link_opened', 'handoff_revoked'],
    ]);
    expect(events[1]).toMatchObject({ actorSub: null, connectionId: connection.id, status: 200 });
    expect(events[1]).toMatchObject({ details: { servedKids: [nextKid, expect.any(String)] } });
    expect(events[0]).toMatchObject({ actorEmail: 'alice@example.com' });
  });

  test('a viewer sees no hand-off links and cannot make one', async ({ browser }) => {
    const context = await browser.newContext({ storageState: storageStatePath('bob') });
    const page = await context.newPage();
    await page.goto(`/connections/${SEED.acme.id}`);
    await expect(page.getByRole('region', { name: 'Identity provider' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Hand-off links' })).toHaveCount(0);
    await context.close();
  });
});

test.describe('expired, on a stack of its own', () => {
  let stack: Stack | undefined;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    if (!(await postgresReachable())) {
      noteSkippedForPostgres('e2e/handoff-link.spec.ts: the expired hand-off link (needs the database the app uses)');
      return;
    }
    stack = await Stack.start({ slot: 5, postgres: true });
  });
  test.afterAll(async () => {
    await stack?.stop();
  });

  test('an expired link says when it expired and to ask for a new one, shows no key, and the refused open is audited', async ({
    browser,
  }) => {
    test.skip(!stack, 'PostgreSQL is not reachable (noted in test-results/skipped.txt)');
    if (!stack) return;
    const alice = await stack.signIn(browser, 'alice@example.com');
    const context = await browser.newContext({ storageState: alice.storageState, baseURL: stack.appUrls[0] });
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const url = await createLink(await context.newPage(), SEED.acme.id, '1 day');
    await context.close();
    const linkId = new URL(url).pathname.split('/')[2]?.split('.')[0] ?? '';

    // No clock to move and no sleeps: the link's own row is moved into the past, in the database the app reads. Only
    // handoff_links is touched; the audit trail is not (its trigger would refuse it anyway).
    const mark = await stack.lastAuditId();
    const moved = await stack.sql(
      `update handoff_links set created_at = now() - interval '2 days', expires_at = now() - interval '1 hour'
        where id = $1 returning expires_at`,
      [linkId],
    );
    expect(moved).toHaveLength(1);

    const visitor = await signedOut(browser);
    const response = await visitor.page.goto(url);
    expect(response?.status()).toBe(404);
    await expect(visitor.page.getByRole('heading', { name: 'This hand-off link is not valid' })).toBeVisible();
    await expect(
      visitor.page.getByText(/It expired on .* UTC\. Ask the person who sent it for a new link\./),
    ).toBeVisible();
    await expectNoKeyMaterial(visitor.page);
    await expectNoAxeViolations(visitor.page);
    await visitor.context.close();

    const events = await stack.auditEvents(mark, SEED.acme.id);
    expect(events.map((event) => [event.type, event.error_code])).toEqual([['handoff.link_opened', 'handoff_expired']]);
    expect(events[0]?.details).toMatchObject({ linkId });
    expect(await stack.verifyAudit()).toMatchObject({ code: 0 });
  });
});
