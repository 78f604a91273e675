import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { LOCK_FILE, processStartTime } from './data-dir-lock';
import { openAuditDatabase } from './database';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'keyshift-lock-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const lockFile = () => path.join(dataDir, LOCK_FILE);

/** A pid that certainly runs no process any more: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid as number;
}

async function opensAndReleases(): Promise<void> {
  const database = await openAuditDatabase({ dataDir });
  expect(JSON.parse(await readFile(lockFile(), 'utf8'))).toEqual({
    pid: process.pid,
    start: processStartTime(process.pid),
  });
  await database.close();
  await expect(readFile(lockFile(), 'utf8')).rejects.toThrow(/ENOENT/);
}

describe('the PGlite data directory lock', () => {
  test.each([
    ['a dead pid (bare, as older versions wrote it)', async () => String(await deadPid())],
    ['a dead pid with its start time', async () => JSON.stringify({ pid: await deadPid(), start: '1' })],
    // A container restart: the new server has the same pid as the crashed one, but it is not the holder.
    ['this process’s own pid, bare (pid reuse after a restart)', async () => String(process.pid)],
    ['this process’s own pid with another start time', async () => JSON.stringify({ pid: process.pid, start: '1' })],
    ['a running pid with another start time (pid reused)', async () => JSON.stringify({ pid: 1, start: 'never' })],
    ['garbage', async () => 'not a claim'],
  ])('a stale claim by %s does not keep the store closed', async (_, claim) => {
    await writeFile(lockFile(), await claim());
    await opensAndReleases();
  });

  test('a live holder keeps it closed with a clear sentence, and its claim is left alone', async () => {
    const holder = await openAuditDatabase({ dataDir });
    try {
      await expect(openAuditDatabase({ dataDir })).rejects.toThrow(
        /already open \(process \d+, this one\)\. PGlite serves one process at a time/,
      );
      expect(JSON.parse(await readFile(lockFile(), 'utf8')).pid).toBe(process.pid);
    } finally {
      await holder.close();
    }
  });

  test('two openers interleaving over a stale claim: one takes it away and opens, the other is refused', async () => {
    await writeFile(lockFile(), String(await deadPid()));
    const results = await Promise.allSettled([openAuditDatabase({ dataDir }), openAuditDatabase({ dataDir })]);
    const opened = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    try {
      expect(opened).toHaveLength(1);
      expect(results.find((result) => result.status === 'rejected')?.reason.message).toMatch(/is already open/);
    } finally {
      await Promise.all(opened.map((database) => database.close()));
    }
  });

  test.each([
    ['no claim', null],
    ['a stale claim', 'dead'],
  ])('two processes starting at once over %s: exactly one opens it', { timeout: 60_000 }, async (_, stale) => {
    if (stale) await writeFile(lockFile(), String(await deadPid()));
    const children = [child(), child()];
    try {
      await Promise.all(children.map((c) => c.next()));
      // The barrier: both are loaded and waiting; "go" reaches both at once.
      for (const c of children) c.process.stdin.write('go\n');
      const results = (await Promise.all(children.map((c) => c.next()))).map(
        (line) => JSON.parse(line) as { won: boolean; message?: string },
      );
      expect(results.filter((result) => result.won)).toHaveLength(1);
      expect(results.find((result) => !result.won)?.message).toMatch(
        /is already open \(process \d+\)\. PGlite serves one process at a time: stop the other one/,
      );
    } finally {
      for (const c of children) c.process.stdin.end();
      await Promise.all(children.map((c) => c.exited));
    }
  });
});

function child() {
  const process_: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['--conditions=react-server', '--import', 'tsx', 'lib/testing/open-data-dir-child.ts', dataDir],
    { cwd: path.resolve(__dirname, '../..') },
  );
  const lines = createInterface({ input: process_.stdout })[Symbol.asyncIterator]();
  let stderr = '';
  process_.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((resolve) => process_.once('exit', resolve));
  return {
    process: process_,
    exited,
    async next(): Promise<string> {
      const { value, done } = await lines.next();
      if (done) throw new Error(`the child ended early: ${stderr}`);
      return value as string;
    },
  };
}
