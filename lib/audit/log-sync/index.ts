import 'server-only';
import { processWide } from '@/lib/async/process-wide';
import { type ThrottledTask, throttledSingleFlight, within } from '@/lib/async/throttle';
import { auditStore, ConnectionLockedError } from '@/lib/audit';
import { getConnection } from '@/lib/auth0/connections';
import { Auth0Error } from '@/lib/auth0/errors';
import { getLogEvent, oldestLogEvent, readLogEventsAfter } from '@/lib/auth0/logs';
import type { TenantConfig } from '@/lib/tenants/config';
import { currentTenant, inTenant } from '@/lib/tenants/scope';
import { type LogSyncDependencies, type LogSyncState, newLogSyncState, runLogSync } from './ingest';
import { type LogSyncStatus, syncFailure } from './status';

/** At most one read of a tenant's logs per this interval per process, however many pages poll the audit. */
export const SYNC_INTERVAL_MS = 10_000;

interface ProcessSync {
  task: ThrottledTask<LogSyncStatus>;
  state: LogSyncState;
  last: LogSyncStatus;
  names: Map<string, string | null>;
}

function liveDependencies(sync: ProcessSync, tenant: TenantConfig): Omit<LogSyncDependencies, 'store'> {
  const { clientId } = tenant;
  return {
    readLogEventsAfter,
    oldestLogEvent,
    getLogEvent,
    connectionName: async (id) => {
      if (!sync.names.has(id)) sync.names.set(id, (await getConnection(id)).name);
      return sync.names.get(id) ?? null;
    },
    tenant: tenant.domain,
    // With a static token and no AUTH0_CLIENT_ID Keyshift does not know which client it acts as; the rule then relies
    // on the new kid and the time alone.
    ourClientId: clientId ?? null,
  };
}

async function syncOnce(sync: ProcessSync, tenant: TenantConfig): Promise<LogSyncStatus> {
  const checkedAt = new Date().toISOString();
  try {
    const store = await auditStore();
    const { ingested, behind } = await runLogSync({ store, ...liveDependencies(sync, tenant) }, sync.state);
    sync.last = { state: 'ok', checkedAt, ingested, behind };
  } catch (error) {
    if (error instanceof ConnectionLockedError) return sync.last; // another instance is reading the logs right now
    if (!(error instanceof Auth0Error)) console.error('[keyshift] reading the tenant logs failed', String(error));
    const failure = syncFailure(error, new Date(checkedAt));
    sync.task.deferUntil(failure.retryAt.getTime());
    sync.last = failure.status;
  }
  return sync.last;
}

/** The tenant in scope's sync: each tenant's logs are read on their own, in that tenant's scope. */
function processSync(): ProcessSync {
  const tenant = currentTenant();
  return processWide(`log-sync:${tenant.slug}`, () => {
    const sync: ProcessSync = {
      task: throttledSingleFlight(() => inTenant(tenant, () => syncOnce(sync, tenant)), {
        minIntervalMs: SYNC_INTERVAL_MS,
      }),
      state: newLogSyncState(),
      last: { state: 'never' },
      names: new Map(),
    };
    return sync;
  });
}

/** How long a page waits for a read of the tenant's logs before it renders with what it has. */
export const SYNC_WAIT_MS = 2_500;

/**
 * Brings rotations made outside Keyshift into the audit trail, at most once per SYNC_INTERVAL_MS per process and
 * never twice at once. Waits up to `waitMs` for a read it started or joined (the rest finishes in the background),
 * then reports how the latest read went. Never throws: a failure is a status for the page to show.
 */
export async function syncExternalRotations({
  waitMs = SYNC_WAIT_MS,
}: {
  waitMs?: number;
} = {}): Promise<LogSyncStatus> {
  const sync = processSync();
  const running = sync.task.trigger();
  if (running && waitMs > 0) await within(running, waitMs, null);
  return sync.last;
}

/** The latest status without reading anything. */
export function lastLogSyncStatus(): LogSyncStatus {
  return processSync().last;
}
