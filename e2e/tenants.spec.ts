import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { expectNoAxeViolations } from './fixtures';
import { confirmRotation } from './rotate-dialog';
import { SEED } from './seed';
import { actionResult, callServerAction } from './server-actions';
import { DEV_TENANT_DOMAIN, eventually, requirePostgres, type SignedIn, Stack } from './stack';

// Issue 15 end to end: one Keyshift over two tenants of one emulator, `dev` (development, dev-tenant.local, an extra
// tenant on a port of its own) and `prod` (production, the primary demo-tenant.local). The emulator's counters of
// each tenant are the evidence of where a call went.

let stack: Stack;
let dev: string;
const users = {} as Record<'alice' | 'bob' | 'carol' | 'dave', SignedIn>;
/** The dev tenant's connection ids by name: other ids than prod's, some of the same names. */
let devIds: Map<string, string>;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  await requirePostgres('tenants.spec (reads the audit while the app runs)');
  stack = await Stack.start({ slot: 7, tenants: 'dev+prod', postgres: true });
  dev = stack.devEmulatorUrl as string;
  for (const key of ['alice', 'bob', 'carol', 'dave'] as const) {
    users[key] = await stack.signIn(browser, `${key}@example.com`);
  }
  devIds = await connectionIds(dev, DEV_TENANT_DOMAIN, 'demo-dev-readonly', 'demo-dev-readonly-secret');
});

test.afterAll(async () => {
  await stack?.stop();
});

/** A tenant's connections by name, through its own Management API, as another Auth0 client would read them. */
async function connectionIds(
  origin: string,
  domain: string,
  clientId: string,
  clientSecret: string,
): Promise<Map<string, string>> {
  const token = (await fetch(`${origin}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      audience: `https://${domain}/api/v2/`,
    }),
  }).then((response) => response.json())) as { access_token: string };
  const connections = (await fetch(`${origin}/api/v2/connections?per_page=100`, {
    headers: { authorization: `Bearer ${token.access_token}` },
  }).then((response) => response.json())) as { id: string; name: string }[];
  return new Map(connections.map((connection) => [connection.name, connection.id]));
}

function devId(name: string): string {
  const id = devIds.get(name);
  if (!id) throw new Error(`dev-tenant.local has no connection named ${name}`);
  return id;
}

async function rotations(origin: string): Promise<Record<string, number>> {
  return (await stack.calls(origin)).rotations ?? {};
}

async function totalRotations(origin: string): Promise<number> {
  return Object.values(await rotations(origin)).reduce((sum, count) => sum + count, 0);
}

async function clearCounters(): Promise<void> {
  await stack.admin('DELETE', '/calls');
  await stack.admin('DELETE', '/calls', undefined, dev);
}

async function pageAs(browser: Browser, user: keyof typeof users): Promise<Page> {
  const context = await browser.newContext({ storageState: users[user].storageState, baseURL: stack.appUrl });
  return context.newPage();
}

const auditRows = (page: Page) => page.getByRole('table', { name: 'Key rotations, newest first' }).locator('tbody tr');

const rotateButton = (page: Page) => page.getByRole('button', { name: 'Rotate keys' });

async function openRotateDialog(page: Page, url: string, name: string) {
  await page.goto(url);
  await rotateButton(page).click();
  const dialog = page.getByRole('dialog', { name: `Rotate the keys of ${name}` });
  await expect(dialog).toBeVisible();
  return dialog;
}

/** Rotates through the dialog, as an operator does, and waits for the result panel. */
async function rotateThroughDialog(page: Page, url: string, name: string): Promise<void> {
  const dialog = await openRotateDialog(page, url, name);
  await confirmRotation(dialog, name);
  await dialog.getByRole('button', { name: 'Rotate keys' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Keys rotated' })).toBeVisible();
}

async function auditCsv(slug: string, user: keyof typeof users): Promise<string> {
  const response = await fetch(`${stack.appUrl}/${slug}/audit/export?format=csv`, {
    headers: { cookie: users[user].cookie },
  });
  expect(response.status, `/${slug}/audit/export`).toBe(200);
  return response.text();
}

test('roles are per tenant: dave rotates in dev only, bob in neither, carol sees nothing, alice rotates in both', async ({
  browser,
}) => {
  await clearCounters();
  const chooserRow = (page: Page, tenantName: string) => page.getByRole('link', { name: new RegExp(`^${tenantName}`) });

  // `/`: a chooser naming each tenant's environment and the user's role there.
  const dave = await pageAs(browser, 'dave');
  await dave.goto('/');
  await expect(dave.getByRole('heading', { name: 'Choose a tenant' })).toBeVisible();
  await expect(chooserRow(dave, 'Acme development')).toContainText('Development');
  await expect(chooserRow(dave, 'Acme development')).toContainText('rotator');
  await expect(chooserRow(dave, 'Acme production')).toContainText('Production');
  await expect(chooserRow(dave, 'Acme production')).toContainText('viewer');
  await dave.goto(`/dev/connections/${devId('okta-acme')}`);
  await expect(dave.getByRole('table', { name: 'Signing keys of okta-acme' })).toBeVisible();
  await expect(rotateButton(dave)).toBeVisible();
  await dave.goto(`/prod/connections/${SEED.acme.id}`);
  await expect(dave.getByRole('table', { name: 'Signing keys of okta-acme' })).toBeVisible();
  await expect(rotateButton(dave)).toHaveCount(0);
  await dave.context().close();

  // His forged rotation into prod, with his own session: refused, audited, never sent to prod.
  const auditBefore = await stack.lastAuditId();
  const forged = await callServerAction(
    'rotateKeysAction',
    [
      {
        tenant: 'prod',
        connectionId: SEED.acme.id,
        signingAlg: 'RS256',
        confirmName: SEED.acme.name,
        expectedCurrentKid: 'kid-shown-current',
        expectedNextKid: 'kid-shown-next',
      },
    ],
    { cookie: users.dave.cookie, baseUrl: stack.appUrl, path: `/prod/connections/${SEED.acme.id}` },
  );
  expect(actionResult(forged.text)).toMatchObject({ ok: false, code: 'forbidden' });
  const denied = await eventually(async () => {
    const rows = await stack.sql<{ type: string; tenant: string; actor_email: string; message: string }>(
      `select type, tenant, actor_email, message from audit_events where id > $1 and type = 'access.denied'`,
      [auditBefore],
    );
    return rows.length > 0 ? rows : undefined;
  });
  expect(denied).toEqual([expect.objectContaining({ actor_email: 'dave@example.com', tenant: 'demo-tenant.local' })]);
  expect(denied[0]?.message).toMatch(/viewer lacks keys:rotate/);
  expect(await totalRotations(stack.emulatorUrl)).toBe(0);

  // Bob views both and rotates in neither.
  const bob = await pageAs(browser, 'bob');
  await bob.goto('/');
  await expect(chooserRow(bob, 'Acme development')).toContainText('viewer');
  await expect(chooserRow(bob, 'Acme production')).toContainText('viewer');
  for (const url of [`/dev/connections/${devId('okta-acme')}`, `/prod/connections/${SEED.acme.id}`]) {
    await bob.goto(url);
    await expect(bob.getByRole('table', { name: /^Signing keys of / })).toBeVisible();
    await expect(rotateButton(bob)).toHaveCount(0);
  }
  await bob.context().close();

  // Carol has no role anywhere: the no-access page, from `/` and from either tenant.
  const carol = await pageAs(browser, 'carol');
  for (const url of ['/', '/dev', '/prod']) {
    await carol.goto(url);
    await expect(carol.getByRole('heading', { name: 'No access' })).toBeVisible();
  }
  await carol.context().close();

  // Alice rotates in both: one rotation each side, each on its own tenant.
  const alice = await pageAs(browser, 'alice');
  await alice.goto('/');
  await expect(chooserRow(alice, 'Acme development')).toContainText('rotator');
  await expect(chooserRow(alice, 'Acme production')).toContainText('rotator');
  await rotateThroughDialog(alice, `/dev/connections/${devId('okta-initech-sandbox')}`, 'okta-initech-sandbox');
  await rotateThroughDialog(alice, `/prod/connections/${SEED.hooli.id}`, SEED.hooli.name);
  await alice.context().close();
  expect(await rotations(dev)).toEqual({ [devId('okta-initech-sandbox')]: 1 });
  expect(await rotations(stack.emulatorUrl)).toEqual({ [SEED.hooli.id]: 1 });
});

test('a rotation in dev never reaches prod, not even the connection of the same name', async ({ browser }) => {
  await clearCounters();
  const dave = await pageAs(browser, 'dave');
  await rotateThroughDialog(dave, `/dev/connections/${devId('oidc-globex')}`, 'oidc-globex');
  await dave.context().close();
  expect(devId('oidc-globex')).not.toBe(SEED.globex.id);
  expect(await rotations(dev)).toEqual({ [devId('oidc-globex')]: 1 });
  expect(await totalRotations(stack.emulatorUrl)).toBe(0);
  expect((await rotations(stack.emulatorUrl))[SEED.globex.id] ?? 0).toBe(0);
});

test('the audit is per tenant: the dev rotation is in /dev/audit and its export, not in prod’s', async ({
  browser,
}) => {
  const alice = await pageAs(browser, 'alice');
  const globex = devId('oidc-globex');
  await alice.goto('/dev/audit');
  await expect(auditRows(alice).filter({ hasText: 'oidc-globex' })).not.toHaveCount(0);
  await alice.goto('/prod/audit');
  // Prod's page lists prod's own rotation (alice's of oidc-hooli), and nothing of dev's.
  await expect(auditRows(alice).filter({ hasText: 'oidc-hooli' })).not.toHaveCount(0);
  await expect(auditRows(alice).filter({ hasText: 'oidc-globex' })).toHaveCount(0);
  await alice.context().close();

  const devCsv = await auditCsv('dev', 'alice');
  const prodCsv = await auditCsv('prod', 'alice');
  expect(devCsv).toContain(globex);
  expect(devCsv).toContain('dave@example.com');
  expect(prodCsv).not.toContain(globex);
  expect(prodCsv.split('\n').filter((line) => line.includes('oidc-globex'))).toEqual([]);
  // Prod's export does hold prod's own rotation (alice's of oidc-hooli): it is not simply empty.
  expect(prodCsv).toContain(SEED.hooli.id);
  expect(devCsv).not.toContain(SEED.hooli.id);
});

test('switching tenants keeps the place: the filtered audit, and a connection by its name', async ({ browser }) => {
  const alice = await pageAs(browser, 'alice');
  const switcher = alice.getByRole('button', { name: /^Tenant: / });

  await alice.goto('/dev/audit?outcome=succeeded');
  await switcher.click();
  await alice.getByRole('menuitem', { name: /Acme production/ }).click();
  await expect(alice).toHaveURL(/\/prod\/audit\?outcome=succeeded$/);
  await expect(alice.getByRole('note', { name: 'Production tenant' })).toBeVisible();

  await alice.goto(`/dev/connections/${devId('okta-acme')}`);
  await expect(alice.getByRole('table', { name: 'Signing keys of okta-acme' })).toBeVisible();
  await switcher.click();
  await alice.getByRole('menuitem', { name: /Acme production/ }).click();
  await expect(alice).toHaveURL(new RegExp(`/prod/connections/${SEED.acme.id}$`));
  await expect(alice.getByRole('table', { name: 'Signing keys of okta-acme' })).toBeVisible();
  await expect(alice.getByRole('note', { name: 'Production tenant' })).toBeVisible();
  await alice.context().close();
});

test('production is unmistakable: the banner, the dialog’s tenant line, the development-first notice', async ({
  browser,
}) => {
  const alice = await pageAs(browser, 'alice');
  const banner = alice.getByRole('note', { name: 'Production tenant' });

  await alice.goto('/');
  await expect(alice.getByRole('heading', { name: 'Choose a tenant' })).toBeVisible();
  await expectNoAxeViolations(alice);

  await alice.goto('/dev');
  await expect(alice.getByRole('heading', { name: 'Connections' })).toBeVisible();
  await expect(banner).toHaveCount(0);
  await alice.goto('/dev/audit');
  await expect(auditRows(alice).first()).toBeVisible();
  await expect(banner).toHaveCount(0);

  await alice.goto('/prod/audit');
  await expect(banner).toContainText('Production: Acme production (demo-tenant.local)');
  await alice.goto('/prod');
  await expect(alice.getByRole('heading', { name: 'Connections' })).toBeVisible();
  await expect(banner).toContainText('Changes here affect live sign-ins.');
  await expectNoAxeViolations(alice);

  // okta-acme was never rotated in dev: the dialog says so, beside the production tenant line.
  const acme = await openRotateDialog(alice, `/prod/connections/${SEED.acme.id}`, SEED.acme.name);
  await expect(acme.getByTestId('rotate-tenant')).toContainText('Production');
  await expect(acme.getByTestId('rotate-tenant')).toContainText('Acme production');
  await expect(acme.getByTestId('rotate-tenant')).toContainText('This is production');
  const notice = acme.getByRole('note').filter({ hasText: 'Rotate in development first?' });
  await expect(notice).toContainText(
    'okta-acme also exists in Acme development (development), where it has never been rotated',
  );
  await expect(notice.getByRole('link', { name: 'Acme development' })).toHaveAttribute(
    'href',
    `/dev/connections/${devId('okta-acme')}`,
  );
  // Still on screen behind the modal (which hides the rest of the page from assistive technology, as it should).
  await expect(alice.locator('[role="note"][aria-label="Production tenant"]')).toBeVisible();
  await expectNoAxeViolations(alice);
  await alice.keyboard.press('Escape');
  await expect(acme).toHaveCount(0);

  // oidc-globex was rotated in dev minutes ago (the test before): no notice, the tenant line still there.
  const globex = await openRotateDialog(alice, `/prod/connections/${SEED.globex.id}`, SEED.globex.name);
  await expect(globex.getByTestId('rotate-tenant')).toContainText('This is production');
  await expect(globex.locator('[data-readiness]')).toBeVisible();
  await expect(globex.getByTestId('dev-first')).toHaveCount(0);
  await alice.keyboard.press('Escape');

  // In dev the dialog names the tenant without the production warning, and never asks for dev first.
  const devAcme = await openRotateDialog(alice, `/dev/connections/${devId('okta-acme')}`, 'okta-acme');
  await expect(devAcme.getByTestId('rotate-tenant')).toContainText('Development');
  await expect(devAcme.getByTestId('rotate-tenant')).not.toContainText('This is production');
  await expect(devAcme.locator('[data-readiness]')).toBeVisible();
  await expect(devAcme.getByTestId('dev-first')).toHaveCount(0);
  await alice.context().close();
});

/** A port nobody listens on now: asked of the system, then released. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

test('a bad tenants file stops the start with a sentence naming the entry and the field', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'keyshift-tenants-'));
  const file = path.join(dir, 'tenants.json');
  const entry = (slug: string, environment: string, domain: string) => ({
    slug,
    name: `Acme ${slug}`,
    environment,
    domain,
    credentials: { clientIdEnv: 'BAD_FILE_CLIENT_ID', clientSecretEnv: 'BAD_FILE_CLIENT_SECRET' },
  });
  writeFileSync(
    file,
    JSON.stringify({
      tenants: [entry('dev', 'development', 'dev.example.com'), entry('prod', 'prod', 'prod.example.com')],
    }),
  );
  const port = await freePort();
  // The stack's own environment (its database left out), with the bad file and the variables it names.
  const { DATABASE_URL: _database, ...stackEnv } = stack.appEnv(0);
  const env: NodeJS.ProcessEnv = {
    ...stackEnv,
    KEYSHIFT_TENANTS_FILE: file,
    KEYSHIFT_DATA_DIR: path.join(dir, 'data'),
    NEXTAUTH_URL: `http://localhost:${port}`,
    BAD_FILE_CLIENT_ID: 'id',
    BAD_FILE_CLIENT_SECRET: 'secret',
  };
  const child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '--port', String(port)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  let served = false;
  const exitCode = await new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    // Should it start after all, it must not outlive the test: it is stopped once it serves, and the test fails.
    void eventually(async () => {
      if (child.exitCode !== null) return true;
      const ok = await fetch(`http://localhost:${port}/api/health`).then(
        (response) => response.ok,
        () => false,
      );
      return ok ? true : undefined;
    }, 60_000).then(
      () => {
        if (child.exitCode === null) {
          served = true;
          child.kill('SIGTERM');
        }
      },
      () => child.kill('SIGTERM'),
    );
  });
  expect(served, 'the app served with a bad tenants file').toBe(false);
  expect(exitCode).not.toBe(0);
  expect(exitCode).not.toBeNull();
  expect(stderr).toContain('tenants[1]');
  expect(stderr).toMatch(/tenants\[1\][^\n]*environment/);
  rmSync(dir, { recursive: true, force: true });
});
