import 'server-only';
import type { AuditStore, RotationRow } from '@/lib/audit';
import { externalRotationEvent, type RotationLogEntry } from '@/lib/audit/events';
import { LOG_PAGE_SIZE, type TenantLogEvent } from '@/lib/auth0/logs';
import {
  CLOCK_SKEW_MS,
  type KeyshiftRotation,
  keyshiftRotationFor,
  LOOKBACK_MS,
  parseRotationLog,
} from './rotation-log';

/** Pages of logs read per sync at most; a longer backlog is read by the next syncs. */
export const MAX_PAGES_PER_SYNC = 10;
/**
 * The lock that keeps two app instances from ingesting the same tenant's logs at once (not a connection id: no
 * `con_`). One per tenant: reading one tenant's logs never waits for another's.
 */
export const syncLockId = (tenant: string) => `keyshift:auth0-log-sync:${tenant}`;
const SYNC_HOLDER = { sub: 'keyshift:auth0-log-sync', name: 'Auth0 log sync' };
/** Rotations matched to logs, remembered per process; bounded, oldest forgotten first. */
const CLAIMS_KEPT = 1_000;

export interface LogSyncDependencies {
  store: Pick<AuditStore, 'append' | 'list' | 'listRotations' | 'withConnectionLock'>;
  readLogEventsAfter(from: string, take: number): Promise<TenantLogEvent[]>;
  oldestLogEvent(): Promise<TenantLogEvent | null>;
  getLogEvent(logId: string): Promise<TenantLogEvent | null>;
  connectionName(connectionId: string): Promise<string | null>;
  tenant: string;
  /** Keyshift's machine-to-machine client id; null when it uses a static Management token. */
  ourClientId: string | null;
}

/** Where reading stopped (the last log examined), and which Keyshift rotations explain which logs. */
export interface LogSyncState {
  /** undefined: not yet looked up in the audit trail; null: start from the oldest log Auth0 keeps. */
  checkpoint: { logId: string; date: string } | null | undefined;
  claimed: Map<number, string>;
}

export const newLogSyncState = (): LogSyncState => ({ checkpoint: undefined, claimed: new Map() });

export interface LogSyncResult {
  ingested: number;
  /** More logs wait than one sync reads. */
  behind: boolean;
}

const asKeyshiftRotation = (row: RotationRow): KeyshiftRotation => ({
  id: row.id,
  connectionId: row.connectionId,
  outcome: row.outcome,
  requestedAt: row.requestedAt,
  settledAt: row.settledAt,
  newKid: row.newKid,
});

const detailsOf = (details: unknown) => (details ?? {}) as { logId?: unknown; date?: unknown };

/**
 * Reads the tenant's logs from the checkpoint on and appends a `rotation.external` event for each key rotation that
 * Keyshift did not make (see keyshiftRotationFor for the rule). Holds the sync lock, so that instances sharing one
 * database never ingest a log twice; throws ConnectionLockedError when another instance holds it.
 *
 * The checkpoint is the last log examined, kept in memory, and at start the newest log already ingested
 * (`details.logId` of the newest rotation.external). Auth0's log ids only grow; but a log whose ids restarted (a
 * reset emulator, another tenant behind the same database) would hide every new event behind an old checkpoint,
 * so the checkpoint's own event is read back first, and if it is gone or differs, reading starts over from the
 * oldest log, and a log already ingested (same id and date) is skipped.
 */
export function runLogSync(deps: LogSyncDependencies, state: LogSyncState): Promise<LogSyncResult> {
  return deps.store.withConnectionLock(syncLockId(deps.tenant), SYNC_HOLDER, () => readLogs(deps, state));
}

async function readLogs(deps: LogSyncDependencies, state: LogSyncState): Promise<LogSyncResult> {
  const result: LogSyncResult = { ingested: 0, behind: false };
  if (state.checkpoint === undefined) state.checkpoint = await newestIngested(deps);
  if (state.checkpoint) {
    const again = await deps.getLogEvent(state.checkpoint.logId);
    if (!again || again.date !== state.checkpoint.date) state.checkpoint = null;
  }
  const examine = async (log: TenantLogEvent) => {
    const entry = parseRotationLog(log);
    if (entry && (await ingest(deps, state, entry))) result.ingested += 1;
    state.checkpoint = { logId: log.logId, date: log.date };
  };
  if (!state.checkpoint) {
    const oldest = await deps.oldestLogEvent();
    if (!oldest) return result;
    await examine(oldest);
  }
  for (let page = 0; page < MAX_PAGES_PER_SYNC; page += 1) {
    const from = state.checkpoint?.logId ?? '';
    const logs = await deps.readLogEventsAfter(from, LOG_PAGE_SIZE);
    for (const log of logs) await examine(log);
    if (logs.length < LOG_PAGE_SIZE) return result;
  }
  result.behind = true;
  return result;
}

async function newestIngested(deps: LogSyncDependencies): Promise<LogSyncState['checkpoint']> {
  const { events } = await deps.store.list({
    filters: { tenant: deps.tenant, types: ['rotation.external'] },
    limit: 1,
  });
  const { logId, date } = detailsOf(events[0]?.details);
  return typeof logId === 'string' && typeof date === 'string' ? { logId, date } : null;
}

/** True when it appended an external rotation. */
async function ingest(deps: LogSyncDependencies, state: LogSyncState, entry: RotationLogEntry): Promise<boolean> {
  if (await alreadyIngested(deps, entry)) return false;
  const at = Date.parse(entry.date);
  const { events } = await deps.store.listRotations({
    filters: {
      tenant: deps.tenant,
      connectionId: entry.connectionId,
      outcome: 'requested',
      from: new Date(at - LOOKBACK_MS),
      to: new Date(at + CLOCK_SKEW_MS),
    },
    limit: 50,
  });
  if (keyshiftRotationFor(entry, events.map(asKeyshiftRotation), deps.ourClientId, state.claimed)) {
    forgetOldClaims(state.claimed);
    return false;
  }
  const connectionName = await deps.connectionName(entry.connectionId).catch(() => null);
  await deps.store.append(
    externalRotationEvent(entry, { tenant: deps.tenant, connectionName, ourClientId: deps.ourClientId }),
  );
  return true;
}

/** An external event with this log's id and date, recorded after the log happened (give or take the clock skew). */
async function alreadyIngested(deps: LogSyncDependencies, entry: RotationLogEntry): Promise<boolean> {
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof deps.store.list>> = await deps.store.list({
      filters: {
        tenant: deps.tenant,
        connectionId: entry.connectionId,
        types: ['rotation.external'],
        from: new Date(Date.parse(entry.date) - CLOCK_SKEW_MS),
      },
      cursor,
      limit: 200,
    });
    const found = page.events.some((event) => {
      const { logId, date } = detailsOf(event.details);
      return logId === entry.logId && date === entry.date;
    });
    if (found) return true;
    cursor = page.nextCursor;
  } while (cursor);
  return false;
}

function forgetOldClaims(claimed: Map<number, string>) {
  for (const id of claimed.keys()) {
    if (claimed.size <= CLAIMS_KEPT) return;
    claimed.delete(id);
  }
}
