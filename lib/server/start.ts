import 'server-only';
import { runPeriodically } from '@/lib/async/periodic';
import { processWide, processWidePromise } from '@/lib/async/process-wide';
import { auditStore, auditStoreOptions, ConnectionLockedError } from '@/lib/audit';
import { logCheckpointOnShutdown } from '@/lib/audit/checkpoint';
import { serverCheckpoints } from '@/lib/audit/store';
import { startVerifyEndpoint } from '@/lib/audit/verify-endpoint';
import { listConnectionKeys } from '@/lib/auth0/connections';
import { liveSchedulerDependencies, startCampaignWorker } from '@/lib/campaigns/live';
import { scheduleTick } from '@/lib/campaigns/scheduler';
import { ConfigError, config, tenantByDomain } from '@/lib/config';
import { INVENTORY_TICK_MS, inventoryFiller } from '@/lib/fleet/live';
import { NOTIFY_EVERY_MS, notifyOnce } from '@/lib/notify/live';
import { settleDanglingRotations } from '@/lib/rotation/settle-dangling';
import { storeDanglingDependencies } from '@/lib/rotation/settle-dangling-store';
import { inTenant } from '@/lib/tenants/scope';
import { signInWatcher, WATCH_CLOSE_EVERY_MS } from '@/lib/watch/live';

async function settleDangling(): Promise<void> {
  const settled = await settleDanglingRotations(
    storeDanglingDependencies(await auditStore(), {
      // The call itself may take the timeout, and a request Auth0 still works on is done as long again after that.
      graceMs: 2 * config().auth0.timeoutSeconds * 1000,
      now: () => Date.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      // On the tenant the request names; one no longer configured cannot be read, and its rotation stays pending.
      listKeys: (connectionId, domain) => {
        const tenant = domain ? tenantByDomain(domain) : undefined;
        if (!tenant) throw new Error(`tenant ${domain ?? '(none)'} is not configured`);
        return inTenant(tenant, () => listConnectionKeys(connectionId));
      },
    }),
  );
  if (settled > 0) console.log(`[keyshift] settled ${settled} rotation(s) left without an outcome`);
}

/** A misconfigured deployment stops here, naming everything that is missing, instead of failing on first use. */
export async function startServer(): Promise<void> {
  try {
    const { nextAuth } = config();
    // next-auth reads its own variables; demo mode supplies them when the environment does not.
    process.env.NEXTAUTH_URL ??= nextAuth.url;
    process.env.NEXTAUTH_SECRET ??= nextAuth.secret;
    // Opening the audit store applies its migrations: a database that cannot be reached stops the start here.
    const store = await auditStore();
    // PGlite is this process's alone: `npm run audit:verify` asks it to verify (lib/audit/verify-endpoint.ts).
    const { dataDir } = auditStoreOptions(config());
    // Its failure leaves the dashboard up: only the script's live verification is missing then.
    if (dataDir) {
      await processWidePromise('audit-verify-endpoint', () => startVerifyEndpoint(dataDir, store.verify)).catch(
        (error: unknown) => console.error('[keyshift] audit:verify endpoint not started:', String(error)),
      );
    }
    // A copy of the chain's head outside the database, whenever the server stops (lib/audit/checkpoint.ts).
    // Once per process: Next.js may run this again (development reloads) in the same process.
    processWide('audit-checkpoint-on-shutdown', () => logCheckpointOnShutdown(serverCheckpoints()));
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  // In the background, at start and then periodically (an outcome that could not be written by a live process is
  // settled too, not only a dead process's): the server serves while Auth0 is read; a failure means "next time".
  processWide('dangling-settler', () =>
    runPeriodically(settleDangling, {
      everyMs: config().settleIntervalSeconds * 1000,
      onError: (error) => console.error('[keyshift] could not settle dangling rotations', String(error)),
    }),
  );
  // The summary of every sign-in watch whose window closed, this process's or not, up or down at the time: each is
  // appended once (a unique index on the watched rotation), so several instances may run this side by side.
  processWide('watch-closer', () =>
    runPeriodically(
      async () => {
        let closed = 0;
        for (const tenant of config().tenants) closed += await inTenant(tenant, () => signInWatcher().closeDue());
        if (closed > 0) console.log(`[keyshift] recorded ${closed} sign-in watch summar${closed === 1 ? 'y' : 'ies'}`);
      },
      {
        everyMs: WATCH_CLOSE_EVERY_MS,
        onError: (error) => console.error('[keyshift] could not close sign-in watches', String(error)),
      },
    ),
  );
  // The key inventory of every tenant (lib/fleet), within a share of each one's rate limit; one instance fills a
  // tenant at a time (the others' ticks find its lock held and skip).
  if (config().inventory.enabled) {
    for (const tenant of config().tenants) {
      processWide(`inventory-filler:${tenant.slug}`, () =>
        runPeriodically(
          () =>
            inTenant(tenant, () => inventoryFiller().tick()).catch((error: unknown) => {
              if (!(error instanceof ConnectionLockedError)) throw error;
            }),
          {
            everyMs: INVENTORY_TICK_MS,
            onError: (error) => console.error(`[keyshift] key inventory of ${tenant.slug}:`, String(error)),
          },
        ),
      );
    }
  }
  // Alerts (lib/notify): rotations from the trail, due dates from the fleet, sent with retries; every instance may run
  // it (the outbox's dedupe keys and leases keep each alert sent once).
  processWide('notifier', () =>
    runPeriodically(() => notifyOnce(), {
      everyMs: NOTIFY_EVERY_MS,
      onError: (error) => console.error('[keyshift] alerts:', String(error)),
    }),
  );
  // Campaigns (lib/campaigns): this instance's worker on the job engine, and the jobs of running campaigns' pending
  // items sent again. In the background: the dashboard serves while pg-boss installs or catches up.
  processWide('campaign-worker-start', () =>
    startCampaignWorker().catch((error: unknown) =>
      console.error('[keyshift] campaigns: the job engine did not start:', String(error)),
    ),
  );
  // Scheduled rotation (lib/campaigns/scheduler.ts): every minute on every instance; one claims each window.
  processWide('scheduler', () =>
    runPeriodically(
      async () => {
        const report = await scheduleTick(liveSchedulerDependencies());
        for (const slug of report.fired) console.log(`[keyshift] scheduled rotation started in ${slug}`);
      },
      {
        everyMs: 60_000,
        onError: (error) => console.error('[keyshift] scheduled rotation:', String(error)),
      },
    ),
  );
}
