import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, onTestFinished, test } from 'vitest';
import { parseCommand, UsageError } from './cli';
import { startEmulator } from './server';
import { extraTenantStateFile } from './state-file';
import { extraTenantClients } from './tenant-seed';
import { call, emulatorControl, fetchToken } from './test-support';

const dir = mkdtempSync(join(tmpdir(), 'keyshift-emulator-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function usageError(args: string[], env: Record<string, string> = {}): string {
  try {
    parseCommand(args, env);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('accepted');
}

describe('parseCommand', () => {
  test('no extra tenant by default; the primary keeps its defaults', () => {
    expect(parseCommand([], {})).toEqual({
      port: 4010,
      host: '127.0.0.1',
      connections: 0,
      stateFile: undefined,
      rateLimit: undefined,
      signInRate: undefined,
      keyPool: undefined,
      agedKeys: false,
      admin: true,
      extraTenants: [],
    });
  });

  test('--aged-keys and --key-pool', () => {
    expect(parseCommand(['--aged-keys', '--key-pool', '16'], {})).toMatchObject({ agedKeys: true, keyPool: 16 });
    expect(() => parseCommand(['--key-pool', '-1'], {})).toThrow(UsageError);
  });

  test('--extra-tenant is repeatable; the other options apply to every tenant', () => {
    const command = parseCommand(
      ['--extra-tenant', 'dev-tenant.local@4011', '--extra-tenant=qa.example.com@4012', '--rate-limit', '5:1'],
      {},
    );
    expect(command.extraTenants).toEqual([
      { domain: 'dev-tenant.local', port: 4011 },
      { domain: 'qa.example.com', port: 4012 },
    ]);
    expect(command.rateLimit).toEqual({ capacity: 5, refillPerSecond: 1 });
  });

  test('EMULATOR_EXTRA_TENANTS is comma-separated; a flag wins over it', () => {
    const env = { EMULATOR_EXTRA_TENANTS: 'dev-tenant.local@4011, qa.example.com@4012' };
    expect(parseCommand([], env).extraTenants).toEqual([
      { domain: 'dev-tenant.local', port: 4011 },
      { domain: 'qa.example.com', port: 4012 },
    ]);
    expect(parseCommand(['--extra-tenant', 'stage.local@4020'], env).extraTenants).toEqual([
      { domain: 'stage.local', port: 4020 },
    ]);
  });

  test.each([
    [
      ['--extra-tenant', 'dev-tenant.local'],
      '--extra-tenant must be DOMAIN@PORT (e.g. dev-tenant.local@4011), got "dev-tenant.local"',
    ],
    [['--extra-tenant', 'dev-tenant.local@'], 'must be DOMAIN@PORT'],
    [['--extra-tenant', '@4011'], 'must be DOMAIN@PORT'],
    [['--extra-tenant', 'dev-tenant.local@40x1'], 'must be DOMAIN@PORT'],
    [['--extra-tenant', 'a@b@4011'], 'must be DOMAIN@PORT'],
    [['--extra-tenant', 'Dev-Tenant.local@4011'], '"Dev-Tenant.local" is not a tenant domain'],
    [['--extra-tenant', 'localhost@4011'], '"localhost" is not a tenant domain'],
    [['--extra-tenant', 'dev_tenant.local@4011'], '"dev_tenant.local" is not a tenant domain'],
    [['--extra-tenant', 'dev-tenant.local@70000'], 'port must be a port (0–65535), got "70000"'],
    [['--extra-tenant', 'demo-tenant.local@4011'], 'demo-tenant.local is the primary tenant'],
    [['--extra-tenant', 'a.local@4011', '--extra-tenant', 'a.local@4012'], 'extra tenant a.local is given twice'],
    [['--extra-tenant', 'a.local@4011', '--extra-tenant', 'b.local@4011'], "port 4011 is already a.local's"],
    [['--port', '4011', '--extra-tenant', 'a.local@4011'], "port 4011 is already demo-tenant.local's"],
    [['--extra-tenant'], "Option '--extra-tenant <value>' argument missing"],
    [['--extra-tenants', 'a.local@4011'], "Unknown option '--extra-tenants'"],
  ])('%j is refused: %s', (args, message) => {
    expect(usageError(args)).toContain(message);
  });

  test('a malformed EMULATOR_EXTRA_TENANTS names the variable', () => {
    expect(usageError([], { EMULATOR_EXTRA_TENANTS: 'dev-tenant.local:4011' })).toBe(
      'EMULATOR_EXTRA_TENANTS must be DOMAIN@PORT (e.g. dev-tenant.local@4011), got "dev-tenant.local:4011"',
    );
  });

  test('port 0 (any free port) may be given to several tenants', () => {
    expect(parseCommand(['--port', '0', '--extra-tenant', 'a.local@0', '--extra-tenant', 'b.local@0'], {}).port).toBe(
      0,
    );
  });
});

describe('state files', () => {
  test.each([
    ['data/emulator-state.json', 'data/emulator-state.dev-tenant.local.json'],
    ['/tmp/x/state.json', '/tmp/x/state.dev-tenant.local.json'],
    ['data/emulator-state', 'data/emulator-state.dev-tenant.local'],
  ])('%s → %s', (primary, extra) => {
    expect(extraTenantStateFile(primary, 'dev-tenant.local')).toBe(extra);
  });

  test("a tenant refuses another tenant's state file", async () => {
    const stateFile = join(dir, 'refused.json');
    await (await startEmulator({ stateFile, domain: 'dev-tenant.local' })).close();
    await expect(startEmulator({ stateFile })).rejects.toThrow(
      `${stateFile} holds the state of tenant dev-tenant.local, not demo-tenant.local`,
    );
  });
});

function runMain(args: string[]) {
  const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'emulator/main.ts', ...args], {
    cwd: join(import.meta.dirname, '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout?.on('data', (chunk: Buffer) => {
    output.stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output.stderr += chunk.toString();
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output, exited };
}

describe('main.ts', () => {
  test('a malformed --extra-tenant: exit 2 with the reason, nothing started', async () => {
    const { output, exited } = runMain(['--port', '0', '--extra-tenant', 'dev-tenant.local:4011']);
    expect(await exited).toBe(2);
    // (oidc-provider may warn about the Node version on the line before.)
    expect(output.stderr.trim().split('\n').at(-1)).toBe(
      'emulator: --extra-tenant must be DOMAIN@PORT (e.g. dev-tenant.local@4011), got "dev-tenant.local:4011"',
    );
    expect(output.stdout).toBe('');
  });

  test('serves the primary and an extra tenant on their own ports, each with its state file and the same options', async () => {
    const stateFile = join(dir, 'main', 'state.json');
    const { child, output, exited } = runMain([
      '--port',
      '0',
      '--state',
      stateFile,
      '--extra-tenant',
      'dev-tenant.local@0',
      '--sign-in-rate',
      '6',
      '--rate-limit',
      '50:5',
    ]);
    const lines = await new Promise<string[]>((resolve, reject) => {
      child.stdout?.on('data', () => {
        const ready = output.stdout.split('\n').filter(Boolean);
        if (ready.length >= 2) resolve(ready);
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${output.stderr}`)));
    });
    const urls = Object.fromEntries(
      lines.map((line) => {
        const match = /^Auth0 emulator for (\S+) listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
        return [match?.[1], match?.[2]];
      }),
    );
    expect(Object.keys(urls)).toEqual(['demo-tenant.local', 'dev-tenant.local']);
    const prodUrl = urls['demo-tenant.local'] ?? '';
    const devUrl = urls['dev-tenant.local'] ?? '';
    expect(devUrl).not.toBe(prodUrl);

    const devToken = await fetchToken(devUrl, extraTenantClients('dev-tenant.local').m2m, 'dev-tenant.local');
    const listed = await call(devUrl, 'GET', '/api/v2/connections?fields=name', { token: devToken });
    expect(listed.status).toBe(200);
    expect(listed.body).toContainEqual({ name: 'okta-piedpiper' });
    // The sign-in issuer is on the primary's port only.
    expect((await call(prodUrl, 'GET', '/.well-known/openid-configuration')).status).toBe(200);
    expect((await call(devUrl, 'GET', '/.well-known/openid-configuration')).status).toBe(404);
    for (const url of [prodUrl, devUrl]) {
      expect(await emulatorControl(url, 'GET', '/idps/okta-acme')).toMatchObject({ sign_ins_per_minute: 6 });
      expect(await emulatorControl(url, 'GET', '/rate-limit')).toEqual({ capacity: 50, refillPerSecond: 5 });
    }
    expect(existsSync(stateFile)).toBe(true);
    expect(existsSync(join(dir, 'main', 'state.dev-tenant.local.json'))).toBe(true);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
