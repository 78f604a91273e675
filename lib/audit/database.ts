import 'server-only';
import path from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { MIGRATION_LOCK_KEY } from './chain';
import { claimDataDir } from './data-dir-lock';
import { parseJsonExactly } from './exact-json';
import * as schema from './schema';

export type AuditDb = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface AuditStoreOptions {
  /** `postgres://…`: use PostgreSQL (shared by every app instance). Takes precedence over the PGlite options. */
  databaseUrl?: string;
  /** The PGlite data directory itself (the default store uses `${KEYSHIFT_DATA_DIR ?? './data'}/audit`). */
  dataDir?: string;
  /** An in-memory PGlite, gone on close (tests). */
  memory?: boolean;
  /** PostgreSQL: apply migrations as this role (the tables' owner), so the app's role needs no DDL. */
  migrationUrl?: string;
  /** PostgreSQL: the bounds on every wait, DATABASE_TIMEOUTS unless given. */
  timeouts?: Partial<DatabaseTimeouts>;
}

/** How long a PostgreSQL session of the store may wait, so that nothing hangs a request on a stuck database. */
export interface DatabaseTimeouts {
  /** Any one statement. */
  statementTimeoutMs: number;
  /** Waiting for a lock, the chain lock included: an append gives up with AuditBusyError after this. */
  lockTimeoutMs: number;
  /** A transaction left open by a client that went quiet is ended, releasing its locks. */
  idleInTransactionTimeoutMs: number;
  /** TCP keepalive on both sides, so that a vanished peer is noticed in under a minute, not hours. */
  keepAliveIdleMs: number;
}

export const DATABASE_TIMEOUTS: DatabaseTimeouts = {
  statementTimeoutMs: 30_000,
  lockTimeoutMs: 5_000,
  idleInTransactionTimeoutMs: 60_000,
  keepAliveIdleMs: 10_000,
};

/** A session that can hold PostgreSQL session-level advisory locks for as long as a rotation takes. */
export interface LockSession {
  tryLock(key: string): Promise<boolean>;
  /**
   * Whether this very session still holds the lock: a terminated or broken session has lost every lock it had,
   * and another instance may hold it now. False, never an error, when the session cannot answer.
   */
  holds(key: string): Promise<boolean>;
  unlock(key: string): Promise<void>;
  release(): Promise<void>;
}

/**
 * Where the job engine (pg-boss, lib/campaigns) keeps its queues: the same database. PGlite through pg-boss's
 * database adapter (one `executeSql`, on this process's only session); PostgreSQL by URL, pg-boss keeping its own
 * pool, its schema installed through the migration URL (the tables' owner).
 */
export type JobsConnection =
  | { backend: 'pglite'; executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> }
  | { backend: 'postgres'; url: string; ownerUrl: string };

export interface AuditDatabase {
  backend: 'postgres' | 'pglite';
  jobs: JobsConnection;
  db: AuditDb;
  /** Raw SQL for maintenance and for tests that simulate tampering; the store itself never needs it. */
  execute(query: string): Promise<Record<string, unknown>[]>;
  /** Null where one process owns the database (PGlite): there is no other instance to hold a lock against. */
  openLockSession: (() => Promise<LockSession>) | null;
  close(): Promise<void>;
}

// json and jsonb are read with parseJsonExactly, not JSON.parse, which Node 24 can get wrong (exact-json.ts). For
// PostgreSQL the parser is pg's process-wide one: drizzle passes per-query parsers that fall back to it, so a pool's own
// would be passed over.
pg.types.setTypeParser(pg.types.builtins.JSON, parseJsonExactly);
pg.types.setTypeParser(pg.types.builtins.JSONB, parseJsonExactly);
const PGLITE_PARSERS = { [pgliteTypes.JSON]: parseJsonExactly, [pgliteTypes.JSONB]: parseJsonExactly };

// Resolved at run time, not bundled: Next.js serves from the project root, where the committed migrations live.
const migrationsFolder = () => path.join(process.cwd(), 'drizzle');

export function rowsOf(result: unknown): Record<string, unknown>[] {
  return (result as { rows: Record<string, unknown>[] }).rows;
}

/** Opens the database and brings its schema up to date with the committed migrations. */
export async function openAuditDatabase(options: AuditStoreOptions): Promise<AuditDatabase> {
  if (options.databaseUrl) {
    const timeouts = { ...DATABASE_TIMEOUTS, ...options.timeouts };
    return openPostgres(options.databaseUrl, options.migrationUrl ?? options.databaseUrl, timeouts);
  }
  return openPglite(options.memory ? undefined : (options.dataDir ?? path.join('data', 'audit')));
}

const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//.test(url);

async function openPostgres(
  databaseUrl: string,
  migrationUrl: string,
  timeouts: DatabaseTimeouts,
): Promise<AuditDatabase> {
  if (!isPostgresUrl(databaseUrl)) throw new Error('The audit database URL must start with postgres://');
  if (!isPostgresUrl(migrationUrl)) throw new Error('The audit migration URL must start with postgres://');
  await migratePostgres(migrationUrl);
  // A database outage fails requests within seconds instead of leaving them hanging on a TCP timeout. An idle
  // client losing its connection emits on its pool; unhandled, that would crash the server.
  const keepAliveSeconds = Math.max(1, Math.round(timeouts.keepAliveIdleMs / 1000));
  const newPool = (what: string) => {
    const created = new pg.Pool({
      connectionString: databaseUrl,
      max: 10,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 5_000,
      statement_timeout: timeouts.statementTimeoutMs,
      lock_timeout: timeouts.lockTimeoutMs,
      idle_in_transaction_session_timeout: timeouts.idleInTransactionTimeoutMs,
      keepAlive: true,
      keepAliveInitialDelayMillis: timeouts.keepAliveIdleMs,
      // The server's side too: a vanished app instance's session, and the rotation lock it held, end within a
      // minute instead of when the kernel's default (two hours) gives up on it.
      options: `-c tcp_keepalives_idle=${keepAliveSeconds} -c tcp_keepalives_interval=${keepAliveSeconds} -c tcp_keepalives_count=3`,
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
    jobs: { backend: 'postgres', url: databaseUrl, ownerUrl: migrationUrl },
    db,
    execute: async (query) => (await pool.query(query)).rows,
    async openLockSession() {
      const client = await lockPool.connect();
      // A connection whose lock state is in doubt (a failed lock or unlock) is closed, not reused: closing it is
      // what certainly releases every advisory lock it may still hold.
      let inDoubt = false;
      // Checked out, the client is no longer watched by the pool: its connection failing (the backend terminated,
      // the network gone) would be an unhandled 'error' that ends the process. Its locks went with it.
      const onError = (error: Error) => {
        inDoubt = true;
        console.error('[audit] the connection holding rotation locks failed:', error.message);
      };
      client.on('error', onError);
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
        holds: async (key) => {
          if (inDoubt) return false;
          // Asked of this session itself, about its own backend: an advisory lock on a bigint key is listed with
          // its high and low 32 bits as classid and objid, and objsubid 1.
          const row = await query(HOLDS_LOCK, key).catch(() => undefined);
          return row?.held === true;
        },
        unlock: async (key) => {
          // A session in doubt is closed on release, and closing it is what releases its locks.
          if (inDoubt) return;
          if ((await query('select pg_advisory_unlock($1::bigint) as ok', key))?.ok !== true) inDoubt = true;
        },
        release: async () => {
          client.removeListener('error', onError);
          client.release(inDoubt);
        },
      };
    },
    close: async () => {
      await Promise.all([pool.end(), lockPool.end()]);
    },
  };
}

const HOLDS_LOCK = `select exists (
  select 1 from pg_locks
  where locktype = 'advisory' and granted and pid = pg_backend_pid() and database = (
    select oid from pg_database where datname = current_database()
  )
    and classid = (($1::bigint >> 32) & 4294967295)::oid and objid = ($1::bigint & 4294967295)::oid and objsubid = 1
) as held`;

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

async function openPglite(dataDir: string | undefined): Promise<AuditDatabase> {
  // PGlite has no server to arbitrate: data-dir-lock.ts gives the directory to one process.
  const claim = dataDir ? await claimDataDir(dataDir) : null;
  const release = async () => claim?.release();
  let client: PGlite | undefined;
  try {
    client = await PGlite.create(dataDir, { parsers: PGLITE_PARSERS });
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
    jobs: {
      backend: 'pglite',
      // pg-boss sends its schema as one multi-statement text without parameters (exec), everything else as one
      // statement with parameters (query).
      async executeSql(text, values) {
        if (values && values.length > 0) return client.query(text, values);
        return (await client.exec(text)).at(-1) ?? { rows: [] };
      },
    },
    db: db as unknown as AuditDb,
    execute: async (query) => ((await client.exec(query)).at(-1)?.rows ?? []) as Record<string, unknown>[],
    openLockSession: null,
    async close() {
      await client.close();
      await release();
    },
  };
}
