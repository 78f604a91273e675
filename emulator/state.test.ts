import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, onTestFinished, test } from 'vitest';
import type { LogEvent } from './logs';
import { SEED_CONNECTIONS } from './seed';
import { startEmulator } from './server';
import { call, fetchToken, managementClient } from './test-support';

const dir = mkdtempSync(join(tmpdir(), 'keyshift-emulator-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const { oktaAcme, oktaWayne } = SEED_CONNECTIONS;
const kids = async (url: string, token: string, id: string) =>
  ((await call(url, 'GET', `/api/v2/connections/${id}/keys`, { token })).body as Array<{ kid: string }>).map(
    (key) => key.kid,
  );

describe('state file', () => {
  test('keys, logs and issued tokens survive a restart', async () => {
    const stateFile = join(dir, 'state.json');
    const first = await startEmulator({ stateFile });
    const token = await fetchToken(first.url);
    const sdk = managementClient(first.url);
    await sdk.connections.keys.rotate(oktaAcme.id, { signing_alg: 'ES256' }, { maxRetries: 0 });
    await sdk.connections.keys.create(oktaWayne.id, {});
    const before = {
      acme: await kids(first.url, token, oktaAcme.id),
      wayne: await kids(first.url, token, oktaWayne.id),
    };
    await first.close();

    const second = await startEmulator({ stateFile });
    try {
      // The token from before the restart is still accepted: the tenant signing key was persisted too.
      expect(await kids(second.url, token, oktaAcme.id)).toEqual(before.acme);
      expect(await kids(second.url, token, oktaWayne.id)).toEqual(before.wayne);
      await managementClient(second.url).connections.keys.rotate(oktaAcme.id, {}, { maxRetries: 0 });
      const logs = (await call(second.url, 'GET', '/api/v2/logs?sort=date:1', { token })).body as LogEvent[];
      expect(logs.map((event) => event.description)).toEqual([
        'Rotate connection keys',
        'Create connection keys',
        'Rotate connection keys',
      ]);
      expect(new Set(logs.map((event) => event.log_id)).size).toBe(3);
      expect([...logs.map((event) => event.log_id)].sort()).toEqual(logs.map((event) => event.log_id));
    } finally {
      await second.close();
    }
  });

  test('a file that is not emulator state is refused with its path', async () => {
    const stateFile = join(dir, 'not-state.json');
    writeFileSync(stateFile, JSON.stringify({ hello: 'world' }));
    await expect(startEmulator({ stateFile })).rejects.toThrow(stateFile);
  });
});

describe('large tenant', () => {
  test('--connections 10000 starts in well under 5 s and pages through all of them', async () => {
    const started = performance.now();
    const emulator = await startEmulator({ connections: 10_000 });
    const startup = performance.now() - started;
    try {
      expect(startup).toBeLessThan(5000);
      const token = await fetchToken(emulator.url);
      const seen = new Set<string>();
      let from: string | undefined;
      do {
        const query = `take=100&fields=id${from ? `&from=${encodeURIComponent(from)}` : ''}`;
        const page = (await call(emulator.url, 'GET', `/api/v2/connections?${query}`, { token })).body as {
          next?: string;
          connections: Array<{ id: string }>;
        };
        for (const connection of page.connections) seen.add(connection.id);
        from = page.next;
      } while (from);
      expect(seen.size).toBe(10_000 + Object.keys(SEED_CONNECTIONS).length);
      // Keys of a generated connection are made on first use.
      const generated = (await call(emulator.url, 'GET', '/api/v2/connections?name=okta-customer-00001', { token }))
        .body as Array<{ id: string }>;
      expect(await kids(emulator.url, token, generated[0]?.id ?? '')).toHaveLength(2);
    } finally {
      await emulator.close();
    }
  });
});

describe('CLI', () => {
  test('--sign-in-rate must be a non-negative integer: exit 2 naming the flag', async () => {
    const child = spawn(
      process.execPath,
      ['node_modules/tsx/dist/cli.mjs', 'emulator/main.ts', '--port', '0', '--sign-in-rate', 'lots'],
      {
        cwd: join(import.meta.dirname, '..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', (exit) => resolve(exit)));
    expect(code).toBe(2);
    expect(stderr).toContain('--sign-in-rate must be a non-negative integer, got "lots"');
  });

  test('prints exactly one ready line and exits cleanly on SIGTERM', async () => {
    const child: ChildProcess = spawn(
      process.execPath,
      ['node_modules/tsx/dist/cli.mjs', 'emulator/main.ts', '--port', '0', '--rate-limit', '5:1'],
      {
        cwd: join(import.meta.dirname, '..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', () => stdout.includes('\n') && resolve(stdout.trim()));
      child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    expect(line).toMatch(/^Auth0 emulator for demo-tenant\.local listening on http:\/\/127\.0\.0\.1:\d+$/);
    const url = line.slice(line.indexOf('http://'));
    const token = await fetchToken(url);
    const response = await call(url, 'GET', '/api/v2/connections?take=1', { token });
    expect(response.headers.get('x-ratelimit-limit')).toBe('5');

    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
  });
});
