import 'server-only';
import { randomBytes } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import pg from 'pg';
import { type AuditDatabase, type AuditStoreOptions, openAuditDatabase } from './database';
import { type AuditStore, createAuditStore } from './store';

/** Test-only: the two backends every audit suite runs on, each handing out fresh, migrated databases. */

export const ADMIN_URL = process.env.KEYSHIFT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const adminHost = new URL(ADMIN_URL);
const SKIP_TITLE = `[SKIPPED: PostgreSQL not reachable at ${adminHost.hostname}:${adminHost.port || 5432}]`;

/** Tests create and drop databases: refuse anything but a database on this machine. */
export function assertLocalDatabase(url: string): void {
  const host = new URL(url).hostname;
  if (!LOCAL_HOSTS.has(host)) {
    throw new Error(`Refusing to run audit tests against ${host}: tests create and drop databases, local only.`);
  }
}

export interface Scratch {
  store: AuditStore;
  /** PostgreSQL only: the throw-away database's URL, for a client of the test's own (another session). */
  url?: string;
  database: AuditDatabase;
  /** Raw SQL on the same database, to play the tamperer. */
  sql(query: string): Promise<Record<string, unknown>[]>;
  /** Another store on the same database: on PostgreSQL a second pool, as a second app instance would have. */
  secondStore(): Promise<AuditStore>;
  close(): Promise<void>;
}

export interface Backend {
  name: string;
  kind: 'pglite' | 'postgres';
  available: boolean;
  /** `settings`: the store's database settings beyond where it lives (PostgreSQL's timeouts, say). */
  fresh(settings?: DatabaseSettings): Promise<Scratch>;
}

export type DatabaseSettings = Omit<AuditStoreOptions, 'databaseUrl' | 'dataDir' | 'memory'>;

export async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function postgresReachable(): Promise<boolean> {
  try {
    return await withAdmin(async (client) => (await client.query('select 1 as one')).rows[0]?.one === 1);
  } catch {
    return false;
  }
}

async function noteSkipped(suite: string): Promise<void> {
  await mkdir('test-results', { recursive: true });
  await appendFile(
    'test-results/skipped.txt',
    `${SKIP_TITLE} ${suite}: the PostgreSQL half of the audit tests did not run (start PostgreSQL or set KEYSHIFT_TEST_DATABASE_URL)\n`,
  );
}

function scratchOn(
  database: AuditDatabase,
  secondStore: () => Promise<AuditStore>,
  drop: () => Promise<void>,
  url?: string,
) {
  const store = createAuditStore(database);
  const others: AuditStore[] = [];
  return {
    store,
    url,
    database,
    sql: (query: string) => database.execute(query),
    async secondStore() {
      const other = await secondStore();
      if (other !== store) others.push(other);
      return other;
    },
    async close() {
      await Promise.all(others.map((other) => other.close()));
      await store.close();
      await drop();
    },
  } satisfies Scratch;
}

const pglite: Backend = {
  name: 'PGlite',
  kind: 'pglite',
  available: true,
  async fresh() {
    const database = await openAuditDatabase({ memory: true });
    const scratch = scratchOn(
      database,
      async () => scratch.store,
      async () => {},
    );
    return scratch;
  },
};

/** An empty database of its own on the local PostgreSQL; `dropScratchDatabase(name)` when done. */
export async function createScratchDatabase(): Promise<{ name: string; url: string }> {
  const name = `keyshift_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`create database ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

export async function dropScratchDatabase(name: string): Promise<void> {
  await withAdmin(async (client) => void (await client.query(`drop database if exists ${name} with (force)`)));
}

function postgres(available: boolean): Backend {
  return {
    name: available ? 'PostgreSQL' : `${SKIP_TITLE} PostgreSQL`,
    kind: 'postgres',
    available,
    async fresh(settings = {}) {
      const { name, url: databaseUrl } = await createScratchDatabase();
      const database = await openAuditDatabase({ ...settings, databaseUrl });
      return scratchOn(
        database,
        async () => createAuditStore(await openAuditDatabase({ ...settings, databaseUrl })),
        () => dropScratchDatabase(name),
        databaseUrl,
      );
    },
  };
}

/** Both backends; PostgreSQL is marked skipped (and noted in test-results/skipped.txt) when it cannot be reached. */
export async function auditBackends(suite: string): Promise<[string, Backend][]> {
  assertLocalDatabase(ADMIN_URL);
  const available = await postgresReachable();
  if (!available) await noteSkipped(suite);
  // [title, backend] pairs: describe.each prints a '%s' title in full, where '$name' would be quoted and cut short.
  return [pglite, postgres(available)].map((backend) => [backend.name, backend]);
}
