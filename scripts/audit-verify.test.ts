import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkpointLine } from '@/lib/audit/checkpoint';
import { type AuditStore, openAuditStore } from '@/lib/audit/store';
import { ENDPOINT_FILE, startVerifyEndpoint, type VerifyEndpoint } from '@/lib/audit/verify-endpoint';

const root = path.resolve(__dirname, '..');

/** `npm run audit:verify -- …args`, as an operator runs it, in its own process. */
function auditVerify(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/audit-verify.ts', ...args],
      { cwd: root, env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env } },
      (error: (Error & { code?: unknown }) | null, stdout: string, stderr: string) =>
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

let dir: string;
let store: AuditStore;
let endpoint: VerifyEndpoint;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'keyshift-verify-'));
  // The dashboard's store, as lib/server/start.ts opens it: PGlite in <KEYSHIFT_DATA_DIR>/audit, held by this process.
  store = await openAuditStore({ dataDir: path.join(dir, 'audit') });
  endpoint = await startVerifyEndpoint(path.join(dir, 'audit'), store.verify);
  for (let n = 1; n <= 3; n++) await store.append({ type: 'auth.signin', actorSub: `auth0|${n}` });
});
afterAll(async () => {
  await endpoint?.close();
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('npm run audit:verify', () => {
  test('verifies the embedded database while the dashboard holds it', async () => {
    const { code, stdout, stderr } = await auditVerify([], { KEYSHIFT_DATA_DIR: dir });
    const { head } = await store.verify();
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/PGlite in .* is open in process \d+: asking it to verify\./);
    expect(stdout).toContain(`Audit chain OK: 3 events (head #${head?.id} ${head?.hash})`);
  });

  test('the token file is readable by this user alone; a request without its token is refused', async () => {
    const file = path.join(dir, 'audit', ENDPOINT_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const { port } = JSON.parse(await readFile(file, 'utf8')) as { port: number };
    for (const authorization of [undefined, 'Bearer guess']) {
      const response = await fetch(`http://127.0.0.1:${port}/verify`, {
        method: 'POST',
        headers: authorization ? { authorization } : {},
      });
      expect(response.status).toBe(401);
    }
  });

  test('--file verifies an export offline against a checkpoint line; tampering and a wrong checkpoint are refused', async () => {
    let text = '';
    for await (const chunk of store.exportEvents({ format: 'json' })) text += chunk;
    const exportFile = path.join(dir, 'export.json');
    await writeFile(exportFile, text);
    const [head, second] = (await store.list({ limit: 2 })).events;
    if (!head || !second) throw new Error('no events');
    const logFile = path.join(dir, 'server.log');
    await writeFile(logFile, `starting\n${checkpointLine(second, new Date())}\n${checkpointLine(head, new Date())}\n`);

    const ok = await auditVerify(['--file', exportFile, '--checkpoint', logFile], {});
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(ok.stdout).toContain(`Audit chain OK: 3 events`);
    expect(ok.stdout).toContain(`It reaches checkpoint #${head.id}`);

    const tamperedFile = path.join(dir, 'tampered.json');
    await writeFile(tamperedFile, text.replace('"auth0|2"', '"auth0|mallory"'));
    const tampered = await auditVerify(['--file', tamperedFile], {});
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toMatch(
      new RegExp(`^Audit chain BROKEN at event #${second.id}: its content does not match`),
    );

    const wrong = checkpointLine({ id: second.id, hash: 'e'.repeat(64) }, new Date());
    const mismatch = await auditVerify(['--file', exportFile, '--checkpoint', wrong], {});
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toMatch(
      new RegExp(`^Event #${second.id} has hash .* the chain up to that event was rewritten since`),
    );
  });
});
