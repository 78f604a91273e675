import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, onTestFinished, test } from 'vitest';
import { parseCommand } from '@/emulator/cli';
import { startEmulator } from '@/emulator/server';
import { call } from '@/emulator/test-support';
import { readDemoTenants } from './demo-tenants.mjs';

const TENANTS_FILE = join(import.meta.dirname, '..', 'demo', 'tenants.json');
const dir = mkdtempSync(join(tmpdir(), 'keyshift-demo-tenants-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('demo/tenants.json', () => {
  test('names development on dev-tenant.local:4011 and production on the primary, demo-tenant.local:4010', () => {
    expect(JSON.parse(readFileSync(TENANTS_FILE, 'utf8'))).toEqual({
      tenants: [
        {
          slug: 'dev',
          name: 'Acme development',
          environment: 'development',
          domain: 'dev-tenant.local',
          apiOrigin: 'http://127.0.0.1:4011',
          credentials: { clientIdEnv: 'DEMO_DEV_CLIENT_ID', clientSecretEnv: 'DEMO_DEV_CLIENT_SECRET' },
        },
        {
          slug: 'prod',
          name: 'Acme production',
          environment: 'production',
          domain: 'demo-tenant.local',
          apiOrigin: 'http://127.0.0.1:4010',
          credentials: { clientIdEnv: 'DEMO_PROD_CLIENT_ID', clientSecretEnv: 'DEMO_PROD_CLIENT_SECRET' },
        },
      ],
    });
  });

  test('the demo starts the emulator with the extra tenant and sets each tenant its credentials', () => {
    const tenants = readDemoTenants(TENANTS_FILE);
    expect(tenants.emulatorArgs).toEqual(['--port', '4010', '--extra-tenant', 'dev-tenant.local@4011']);
    expect(parseCommand(tenants.emulatorArgs, {})).toMatchObject({
      port: 4010,
      extraTenants: [{ domain: 'dev-tenant.local', port: 4011 }],
    });
    expect(tenants.env).toEqual({
      DEMO_DEV_CLIENT_ID: 'demo-dev-m2m',
      DEMO_DEV_CLIENT_SECRET: 'demo-dev-m2m-secret',
      DEMO_PROD_CLIENT_ID: 'demo-m2m',
      DEMO_PROD_CLIENT_SECRET: 'demo-m2m-secret',
    });
  });

  test("each tenant accepts the credentials the demo gives it and refuses the other's (401 access_denied)", async () => {
    const { primary, extras, env } = readDemoTenants(TENANTS_FILE);
    const served = await Promise.all(
      [primary, ...extras].map(async (tenant) => ({
        tenant,
        emulator: await startEmulator({ domain: tenant.domain }),
      })),
    );
    onTestFinished(async () => {
      await Promise.all(served.map(({ emulator }) => emulator.close()));
    });
    const outcomes: string[] = [];
    for (const at of served) {
      for (const { tenant } of served) {
        const response = await call(at.emulator.url, 'POST', '/oauth/token', {
          body: {
            grant_type: 'client_credentials',
            client_id: env[tenant.credentials.clientIdEnv],
            client_secret: env[tenant.credentials.clientSecretEnv],
            audience: `https://${at.tenant.domain}/api/v2/`,
          },
        });
        const { error, error_description } = response.body as Record<string, string>;
        outcomes.push(
          `${tenant.slug} at ${at.tenant.slug}: ${response.status} ${error ?? ''} ${error_description ?? ''}`,
        );
      }
    }
    expect(outcomes).toEqual([
      'prod at prod: 200  ',
      'dev at prod: 401 access_denied Unauthorized',
      'prod at dev: 401 access_denied Unauthorized',
      'dev at dev: 200  ',
    ]);
  });

  test.each([
    [
      'an apiOrigin that is not the local emulator',
      [{ slug: 'prod', domain: 'demo-tenant.local', apiOrigin: 'https://demo-tenant.local' }],
      "prod's apiOrigin must be http://127.0.0.1:PORT, got https://demo-tenant.local",
    ],
    [
      'no tenant on the primary domain',
      [{ slug: 'dev', domain: 'dev-tenant.local', apiOrigin: 'http://127.0.0.1:4011' }],
      "no tenant on demo-tenant.local, the emulator's primary tenant",
    ],
    ['no tenants', [], '"tenants" must be a non-empty list'],
  ])('refuses %s', (_case, tenants, message) => {
    const file = join(dir, `${message.length}.json`);
    const credentials = { clientIdEnv: 'A', clientSecretEnv: 'B' };
    writeFileSync(file, JSON.stringify({ tenants: tenants.map((tenant) => ({ ...tenant, credentials })) }));
    expect(() => readDemoTenants(file)).toThrow(`${file}: ${message}`);
  });
});
