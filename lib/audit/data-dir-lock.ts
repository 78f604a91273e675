import 'server-only';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { processWide } from '@/lib/async/process-wide';

/**
 * PGlite has no server to arbitrate: two processes on one data directory (the app and a second app process) would
 * corrupt it, so `keyshift.pid` claims the directory for one process.
 *
 * - The claim names a process by pid AND its start time (`/proc/<pid>/stat`, field 22, in clock ticks since boot),
 *   because a pid alone is reused: after a container restart the new server is often the very same pid 1, and a
 *   plain pid check would take the crashed process's file for a live claim forever. A claim whose pid is not running,
 *   or runs with another start time, or is this process's own pid without this process having claimed the
 *   directory, is stale.
 * - The file is created atomically and complete: written under a unique name, then hard-linked to `keyshift.pid`
 *   (link fails if the name exists), so of two processes starting at once exactly one gets it, and no one ever reads
 *   a half-written claim.
 * - A stale claim is taken away by renaming it to a unique name first and checking that what was renamed is the stale
 *   claim that was read (a racing opener may have replaced it meanwhile; then it is put back). Then creating is
 *   retried once.
 */
export const LOCK_FILE = 'keyshift.pid';

export interface ProcessIdentity {
  pid: number;
  /** Start time from /proc (clock ticks since boot); null where /proc is not available. */
  start: string | null;
}

export class DataDirBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: ProcessIdentity,
  ) {
    super(
      `The audit database in ${dataDir} is already open (process ${holder.pid}${holder.pid === process.pid ? ', this one' : ''}). ` +
        'PGlite serves one process at a time: stop the other one, or share the audit trail through DATABASE_URL.',
    );
    this.name = 'DataDirBusyError';
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Error && value.name === 'DataDirBusyError';
  }
}

export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may hold spaces and parentheses: fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Directories this process has claimed, shared by every bundle of the server (see lib/async/process-wide). */
const claimed = processWide('data-dir-claims', () => new Set<string>());

/** A claim's holder from the file's text: `{"pid":…,"start":…}`, or a bare pid (files written by older versions). */
export function parseClaim(text: string): ProcessIdentity | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed), start: null };
  try {
    const value = JSON.parse(trimmed) as { pid?: unknown; start?: unknown };
    if (typeof value.pid !== 'number' || !Number.isSafeInteger(value.pid) || value.pid < 1) return null;
    return { pid: value.pid, start: typeof value.start === 'string' ? value.start : null };
  } catch {
    return null;
  }
}

/** Whether the claim is held by a running process (false: stale, safe to take away). */
function isLive(holder: ProcessIdentity | null, dataDir: string): boolean {
  if (!holder) return false;
  if (holder.pid === process.pid) return claimed.has(dataDir);
  if (!alive(holder.pid)) return false;
  // A running process with that pid but another start time is another process that reused the pid.
  const start = processStartTime(holder.pid);
  return holder.start === null || start === null || start === holder.start;
}

export interface DataDirClaim {
  release(): Promise<void>;
}

export async function claimDataDir(directory: string): Promise<DataDirClaim> {
  const dataDir = path.resolve(directory);
  await mkdir(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, LOCK_FILE);
  const me: ProcessIdentity = { pid: process.pid, start: processStartTime(process.pid) };
  const text = JSON.stringify(me);
  const unique = () => `${lockFile}.${process.pid}.${randomBytes(6).toString('hex')}`;

  const tryCreate = async (): Promise<boolean> => {
    const draft = unique();
    await writeFile(draft, text, { flag: 'wx', mode: 0o644 });
    try {
      await link(draft, lockFile);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      await unlink(draft).catch(() => {});
    }
  };

  for (let attempt = 0; ; attempt++) {
    if (claimed.has(dataDir)) throw new DataDirBusyError(dataDir, me);
    if (await tryCreate()) break;
    const seen = await readFile(lockFile, 'utf8').catch(() => null);
    if (seen === null) {
      // Released between our attempt and the read: try again, once.
      if (attempt === 0) continue;
      throw new DataDirBusyError(dataDir, { pid: 0, start: null });
    }
    const holder = parseClaim(seen);
    if (isLive(holder, dataDir) || attempt > 0) {
      throw new DataDirBusyError(dataDir, holder ?? { pid: 0, start: null });
    }
    await removeStale(lockFile, seen, unique());
  }
  claimed.add(dataDir);
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      claimed.delete(dataDir);
      // Only our own claim is removed: a file with someone else's claim is theirs.
      if ((await readFile(lockFile, 'utf8').catch(() => null)) === text) await unlink(lockFile).catch(() => {});
    },
  };
}

/** Takes the stale claim `seen` away, unless the file no longer holds it (a racing opener replaced it: put back). */
async function removeStale(lockFile: string, seen: string, aside: string): Promise<void> {
  try {
    await rename(lockFile, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readFile(aside, 'utf8').catch(() => null);
  if (moved !== seen && moved !== null) {
    // Someone else's fresh claim: restore it (link fails only if a third opener already holds the name).
    await link(aside, lockFile).catch(() => {});
  }
  await unlink(aside).catch(() => {});
}
