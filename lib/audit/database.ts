import 'server-only';
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { MIGRATION_LOCK_KEY } from './chain';
import * as schema from './schema';

export type AuditDb = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface AuditStoreOptions {
  /** `postgres://…`: use PostgreSQL (shared by every app instance). Takes precedence over the PGlite options. */
  databaseUrl?: string;
  /** The PGlite data directory itself (the default store uses `${KEYSHIFT_DATA_DIR ?? './data'}/audit`). */
  dataDir?: string;
  /** An in-memory PGlite, gone on close (tests). */
  memory?: boolean;
}

/** A session that can hold PostgreSQL session-level advisory locks for as long as a rotation takes. */
export interface LockSession {
  tryLock(key: string): Promise<boolean>;
  unlock(key: string): Promise<void>;
  release(): Promise<void>;
}

export interface AuditDatabase {
  backend: 'postgres' | 'pglite';
  db: AuditDb;
  /** Raw SQL for maintenance and for tests that simulate tampering; the store itself never needs it. */
  execute(query: string): Promise<Record<string, unknown>[]>;
  /** Null where one process owns the database (PGlite): there is no other instance to hold a lock against. */
  openLockSession: (() => Promise<LockSession>) | null;
  close(): Promise<void>;
}

// Resolved at run time, not bundled: Next.js serves from the project root, where the committed migrations live.
const migrationsFolder = () => path.join(process.cwd(), 'drizzle');

export function rowsOf(result: unknown): Record<string, unknown>[] {
  return (result as { rows: Record<string, unknown>[] }).rows;
}

/** Opens the database and brings its schema up to date with the committed migrations. */
export async function openAuditDatabase(options: AuditStoreOptions): Promise<AuditDatabase> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  return openPglite(options.memory ? undefined : (options.dataDir ?? path.join('data', 'audit')));
}

async function openPostgres(databaseUrl: string): Promise<AuditDatabase> {
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) throw new Error('The audit database URL must start with postgres://');
  await migratePostgres(databaseUrl);
  // A database outage fails requests within seconds instead of leaving them hanging on a TCP timeout. An idle
  // client losing its connection emits on its pool; unhandled, that would crash the server.
  const newPool = (what: string) => {
    const created = new pg.Pool({
      connectionString: databaseUrl,
      max: 10,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 5_000,
    });
    created.on('error', (error) => console.error(`[audit] idle ${what} connection failed:`, error.message));
    return created;
  };
  const pool = newPool('PostgreSQL');
  const db = drizzleNodePg({ client: pool, schema }) as unknown as AuditDb;
  // Locks live on connections of their own, outside that pool, so rotations holding locks can never starve the
  // appends they are waiting on. They are pooled too: a new connection per rotation costs milliseconds.
  const lockPool = newPool('lock');
  return {
    backend: 'postgres',
    db,
    execute: async (query) => (await pool.query(query)).rows,
    async openLockSession() {
      const client = await lockPool.connect();
      // A connection whose lock state is in doubt (a failed lock or unlock) is closed, not reused: closing it is
      // what certainly releases every advisory lock it may still hold.
      let inDoubt = false;
      const query = async (text: string, key: string) => {
        try {
          return (await client.query(text, [key])).rows[0] as Record<string, unknown> | undefined;
        } catch (error) {
          inDoubt = true;
          throw error;
        }
      };
      return {
        tryLock: async (key) => (await query('select pg_try_advisory_lock($1::bigint) as ok', key))?.ok === true,
        unlock: async (key) => {
          if ((await query('select pg_advisory_unlock($1::bigint) as ok', key))?.ok !== true) inDoubt = true;
        },
        release: async () => client.release(inDoubt),
      };
    },
    close: async () => {
      await Promise.all([pool.end(), lockPool.end()]);
    },
  };
}

/** Several instances may start at once; the lock makes exactly one of them apply pending migrations. */
async function migratePostgres(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    await migrateNodePg(drizzleNodePg({ client }), { migrationsFolder: migrationsFolder() });
  } finally {
    await client.end();
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

/**
 * PGlite has no server to arbitrate: two instances on one directory (the app and `audit-verify`, or a second app
 * process) would corrupt it. A pid file claims the directory; a claim by a process that no longer runs is stale.
 */
async function claimDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  const pidFile = path.join(dataDir, 'keyshift.pid');
  try {
    await writeFile(pidFile, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = Number(await readFile(pidFile, 'utf8').catch(() => ''));
    if (holder && alive(holder)) {
      throw new Error(
        `The audit database in ${dataDir} is already open (process ${holder}${holder === process.pid ? ', this one' : ''}). ` +
          'PGlite serves one process at a time: stop the other one, or share the audit trail through DATABASE_URL.',
      );
    }
    await writeFile(pidFile, String(process.pid));
  }
  return () => unlink(pidFile).catch(() => {});
}

async function openPglite(dataDir: string | undefined): Promise<AuditDatabase> {
  const release = dataDir ? await claimDataDir(dataDir) : async () => {};
  let client: PGlite | undefined;
  try {
    client = await PGlite.create(dataDir);
    const db = drizzlePglite({ client, schema });
    await migratePglite(db, { migrationsFolder: migrationsFolder() });
    return pgliteDatabase(client, db, release);
  } catch (error) {
    await client?.close();
    await release();
    throw error;
  }
}

function pgliteDatabase(
  client: PGlite,
  db: ReturnType<typeof drizzlePglite<typeof schema>>,
  release: () => Promise<void>,
): AuditDatabase {
  return {
    backend: 'pglite',
    db: db as unknown as AuditDb,
    execute: async (query) => ((await client.exec(query)).at(-1)?.rows ?? []) as Record<string, unknown>[],
    openLockSession: null,
    async close() {
      await client.close();
      await release();
    },
  };
}
