import 'server-only';
import PgBoss from 'pg-boss';
import type { JobsConnection } from '@/lib/audit/database';

/**
 * The job engine: pg-boss 10 on the audit's own database. On PostgreSQL every instance polls the same queue (a job is
 * fetched with `for update skip locked`, so one instance runs it), its schema and queues installed once through the
 * migration URL (creating a queue is DDL: the app's role needs none). On PGlite, pg-boss runs through its database
 * adapter on this process's only session: the same code path, one instance.
 */

export const ITEM_QUEUE = 'keyshift-campaign-item';
export const JOBS_SCHEMA = 'pgboss';

export interface EngineSettings {
  /** A job whose runner went silent this long (a crash, a kill) is failed and retried by whichever instance is up. */
  expireSeconds: number;
  /** How often pg-boss looks for expired jobs (its maintenance), in seconds. */
  maintenanceSeconds: number;
  /** How often an idle worker asks for the next job, in seconds. */
  pollingSeconds: number;
}

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  expireSeconds: 300,
  maintenanceSeconds: 30,
  pollingSeconds: 1,
};

/** One rotation of a campaign: which item. */
export interface ItemJob {
  tenant: string;
  campaignId: string;
  connectionId: string;
}

/** A job that ran into something temporary (a lock held, Auth0 busy): pg-boss runs it again after a delay. */
export class RetryLater extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryLater';
  }
}

function options(jobs: JobsConnection, settings: EngineSettings, owner: boolean): PgBoss.ConstructorOptions {
  const common = {
    schema: JOBS_SCHEMA,
    // Our own schedules are not in pg-boss's cron: nothing here needs its clock monitor.
    schedule: false,
    maintenanceIntervalSeconds: settings.maintenanceSeconds,
    monitorStateIntervalSeconds: 60,
  };
  if (jobs.backend === 'pglite') {
    return { ...common, db: { executeSql: (text, values) => jobs.executeSql(text, values) }, migrate: true };
  }
  return owner
    ? { ...common, connectionString: jobs.ownerUrl, migrate: true, supervise: false, max: 1 }
    : { ...common, connectionString: jobs.url, migrate: false, max: 4 };
}

const QUEUE: Omit<PgBoss.Queue, 'name'> = {
  policy: 'standard',
  // A retried job is one whose item did nothing yet (or must be settled first): try for a long while, backing off.
  retryLimit: 50,
  retryDelay: 2,
  retryBackoff: true,
  retentionDays: 14,
};

async function ensureQueue(boss: PgBoss, settings: EngineSettings): Promise<void> {
  const queue: PgBoss.Queue = { ...QUEUE, name: ITEM_QUEUE, expireInSeconds: settings.expireSeconds };
  if (await boss.getQueue(ITEM_QUEUE)) await boss.updateQueue(ITEM_QUEUE, queue);
  else
    await boss.createQueue(ITEM_QUEUE, queue).catch(async (error: unknown) => {
      // Another instance created it first.
      if (!(await boss.getQueue(ITEM_QUEUE))) throw error;
    });
}

/** Starts pg-boss for this process; `onError` hears what pg-boss reports from its background loops. */
export async function startEngine(
  jobs: JobsConnection,
  settings: EngineSettings,
  onError: (error: Error) => void,
): Promise<PgBoss> {
  if (jobs.backend === 'postgres') {
    // The schema and the queue, as the tables' owner; then the app's role only reads and writes rows.
    const installer = new PgBoss(options(jobs, settings, true));
    installer.on('error', onError);
    await installer.start();
    try {
      await ensureQueue(installer, settings);
    } finally {
      await installer.stop({ graceful: false, wait: true });
    }
  }
  const boss = new PgBoss(options(jobs, settings, false));
  boss.on('error', onError);
  await boss.start();
  if (jobs.backend === 'pglite') await ensureQueue(boss, settings);
  return boss;
}

export async function sendItemJobs(boss: PgBoss, items: readonly ItemJob[]): Promise<void> {
  if (items.length === 0) return;
  await boss.insert(items.map((data) => ({ name: ITEM_QUEUE, data: { ...data } })));
}
