import 'server-only';
import { X509Certificate } from 'node:crypto';
import type { AuditStore, InventoryKeyFacts, InventoryRow } from '@/lib/audit';
import { Auth0Error } from '@/lib/auth0/errors';
import type { ConnectionKey, ConnectionSummary } from '@/lib/auth0/types';
import { currentTenant } from '@/lib/tenants/scope';
import { type BudgetOptions, rateHeadersOf, ShareBudget } from './budget';

/**
 * The key inventory's filler, one per tenant (run in its scope): it keeps `key_inventory` a recent copy of every
 * key-capable connection's keys, within a share of the tenant's rate budget (budget.ts). Each tick:
 *   1. marks stale the connections whose keys changed since the last tick, as the audit trail tells (Keyshift's own
 *      rotations and provisionings, and rotations made anywhere else, which the log sync records);
 *   2. lists the connections when it never has or `listEveryMs` passed (new ones get a row, gone ones lose theirs);
 *   3. reads keys: connections with no row first, then stale rows, then rows last read over `sweepEveryMs` ago, until
 *      nothing is due or the tick's time is up (the next tick goes on).
 * Several instances may run it: each tick holds the tenant's inventory lock, so one instance fills at a time.
 */

export interface InventorySettings {
  budget: BudgetOptions;
  /** List the tenant's connections again this often (new and deleted connections). */
  listEveryMs: number;
  /** Read every connection's keys again at least this often (a change the trail did not see). */
  sweepEveryMs: number;
  /** Reads in flight at once. */
  concurrency: number;
  /** A tick stops starting reads after this long, so that a first fill of a large tenant does not hold the lock. */
  tickMs: number;
}

export const DEFAULT_INVENTORY_SETTINGS: InventorySettings = {
  budget: { share: 0.5, maxWaitMs: 10_000 },
  listEveryMs: 6 * 3600_000,
  sweepEveryMs: 24 * 3600_000,
  concurrency: 4,
  tickMs: 60_000,
};

export interface InventoryDependencies {
  store: Pick<
    AuditStore,
    'inventory' | 'saveInventory' | 'markInventoryStale' | 'pruneInventory' | 'keyChangesSince' | 'withConnectionLock'
  >;
  listConnections(): Promise<ConnectionSummary[]>;
  readKeys(id: string): Promise<{ keys: ConnectionKey[]; headers: { get(name: string): string | null } | null }>;
  /** Asks the log sync to read the tenant's logs (rotations made elsewhere become events); never throws. */
  syncLogs(): Promise<void>;
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** What the fleet view says of the inventory's freshness, per tenant. */
export interface InventoryStatus {
  /** When the connections were last listed (ISO), null before the first listing. */
  listedAt: string | null;
  /** Key reads made (all ticks of this process), and how many met a 429 (retried later). */
  requests: number;
  rateLimited: number;
  /** Requests a second the filler goes at, once it learnt the tenant's refill rate. */
  pace: number | null;
  /** Set while the last tick could not finish: why. */
  lastError: string | null;
  /** Connections due for a read when the last tick ended (none: everything is as fresh as the policy asks). */
  due: number;
}

export interface TickReport {
  read: number;
  marked: number;
  pruned: number;
  listed: boolean;
  due: number;
}

const LOCK_HOLDER = { sub: 'keyshift:inventory', name: 'Key inventory' };
export const inventoryLockId = (tenant: string) => `keyshift:inventory:${tenant}`;
const WRITE_EVERY = 100;

function dateOf(value: string | null | undefined): Date | null {
  if (!value) return null;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

function validityOf(pem: string): { notBefore: string | null; notAfter: string | null } {
  try {
    const cert = new X509Certificate(pem);
    return {
      notBefore: dateOf(cert.validFrom)?.toISOString() ?? null,
      notAfter: dateOf(cert.validTo)?.toISOString() ?? null,
    };
  } catch {
    return { notBefore: null, notAfter: null };
  }
}

/** The row a read of the keys makes; `checkedAt` is when the read began. */
export function inventoryRowOf(
  tenant: string,
  connection: { id: string; name: string; strategy: string },
  keys: ConnectionKey[],
  checkedAt: Date,
): InventoryRow {
  const facts: InventoryKeyFacts[] = keys.map((key) => ({
    kid: key.kid,
    algorithm: key.algorithm,
    current: key.current,
    next: key.next,
    previous: key.previous,
    currentSince: key.currentSince,
    ...validityOf(key.cert),
  }));
  const current = facts.find((key) => key.current) ?? null;
  const next = facts.find((key) => key.next) ?? null;
  return {
    tenant,
    connectionId: connection.id,
    connectionName: connection.name,
    strategy: connection.strategy,
    keysState: keys.length > 0 ? 'provisioned' : 'not-provisioned',
    keys: facts,
    currentKid: current?.kid ?? null,
    currentAlgorithm: current?.algorithm ?? null,
    currentSince: dateOf(current?.currentSince),
    currentNotAfter: dateOf(current?.notAfter),
    nextKid: next?.kid ?? null,
    nextNotAfter: dateOf(next?.notAfter),
    checkedAt,
    staleSince: null,
    error: null,
  };
}

/** A read that failed for good (Auth0 will answer the same next time): recorded, not retried at once. */
function settledFailure(error: unknown): { keysState: InventoryRow['keysState']; message: string } | null {
  if (!(error instanceof Auth0Error)) return null;
  if (error.code === 'auth0:bad_request') return { keysState: 'unsupported', message: error.message };
  if (error.code === 'auth0:not_found' || error.code === 'auth0:forbidden')
    return { keysState: 'error', message: error.message };
  return null;
}

export class InventoryFiller {
  readonly budget: ShareBudget;
  private listedAt: number | null = null;
  private cursor = 0;
  private status: InventoryStatus = {
    listedAt: null,
    requests: 0,
    rateLimited: 0,
    pace: null,
    lastError: null,
    due: 0,
  };

  constructor(
    private readonly tenant: string,
    private readonly deps: InventoryDependencies,
    private readonly settings: InventorySettings = DEFAULT_INVENTORY_SETTINGS,
  ) {
    this.budget = new ShareBudget(settings.budget);
  }

  current(): InventoryStatus {
    return { ...this.status, pace: this.budget.pace() };
  }

  /** One tick under the tenant's inventory lock; ConnectionLockedError when another instance is filling. */
  async tick(): Promise<TickReport> {
    try {
      const report = await this.deps.store.withConnectionLock(inventoryLockId(this.tenant), LOCK_HOLDER, () =>
        this.fill(),
      );
      this.status.lastError = null;
      this.status.due = report.due;
      return report;
    } catch (error) {
      this.status.lastError = error instanceof Error ? error.message : String(error);
      throw error;
    }
  }

  private async fill(): Promise<TickReport> {
    const { deps, settings, tenant } = this;
    const started = deps.now();
    await deps.syncLogs();
    const marked = await this.markChanged();
    const rows = new Map((await deps.store.inventory(tenant)).map((row) => [row.connectionId, row]));
    let listed = false;
    let pruned = 0;
    const unlisted: ConnectionSummary[] = [];
    if (this.listedAt === null || started - this.listedAt >= settings.listEveryMs) {
      const connections = await deps.listConnections();
      listed = true;
      this.listedAt = started;
      this.status.listedAt = new Date(started).toISOString();
      pruned = await deps.store.pruneInventory(
        tenant,
        connections.map((connection) => connection.id),
      );
      const present = new Set(connections.map((connection) => connection.id));
      for (const id of rows.keys()) if (!present.has(id)) rows.delete(id);
      for (const connection of connections) if (!rows.has(connection.id)) unlisted.push(connection);
    }
    const sweepBefore = started - settings.sweepEveryMs;
    const queue: Array<{ id: string; name: string; strategy: string; previous: InventoryRow | null }> = [
      ...unlisted.map((connection) => ({ ...connection, previous: null })),
      ...[...rows.values()]
        .filter((row) => row.staleSince !== null)
        .sort((a, b) => (a.staleSince?.getTime() ?? 0) - (b.staleSince?.getTime() ?? 0))
        .map((row) => ({ id: row.connectionId, name: row.connectionName, strategy: row.strategy, previous: row })),
      ...[...rows.values()]
        .filter((row) => row.staleSince === null && row.checkedAt.getTime() < sweepBefore)
        .sort((a, b) => a.checkedAt.getTime() - b.checkedAt.getTime())
        .map((row) => ({ id: row.connectionId, name: row.connectionName, strategy: row.strategy, previous: row })),
    ];
    const read = await this.readAll(queue, started + settings.tickMs);
    return { read, marked, pruned, listed, due: queue.length - read };
  }

  /** Marks stale the connections the trail saw change since the last tick (from the start, on a first tick). */
  private async markChanged(): Promise<number> {
    const changes = await this.deps.store.keyChangesSince(this.tenant, this.cursor);
    let marked = 0;
    for (const change of changes) {
      marked += await this.deps.store.markInventoryStale(this.tenant, [change.connectionId], change.occurredAt);
      this.cursor = Math.max(this.cursor, change.eventId);
    }
    return marked;
  }

  private async readAll(
    queue: Array<{ id: string; name: string; strategy: string; previous: InventoryRow | null }>,
    deadline: number,
  ): Promise<number> {
    const { deps, budget } = this;
    let next = 0;
    let done = 0;
    const pending: InventoryRow[] = [];
    const flush = async () => {
      if (pending.length > 0) await deps.store.saveInventory(pending.splice(0));
    };
    const worker = async () => {
      while (next < queue.length && deps.now() < deadline) {
        const wait = budget.waitMs(deps.now());
        if (wait > 0) {
          await deps.sleep(wait);
          continue;
        }
        const item = queue[next++];
        if (!item) break;
        const sentAt = deps.now();
        budget.take(sentAt);
        this.status.requests += 1;
        try {
          const { keys, headers } = await deps.readKeys(item.id);
          budget.observe(headers ? rateHeadersOf((name) => headers.get(name)) : null, sentAt, deps.now());
          pending.push(inventoryRowOf(this.tenant, item, keys, new Date(sentAt)));
          done += 1;
        } catch (error) {
          if (error instanceof Auth0Error && error.code === 'auth0:rate_limited') {
            // Someone spent the bucket: wait for its reset, and read this one again in this tick.
            this.status.rateLimited += 1;
            budget.holdUntil(error.details.retryAt?.getTime() ?? deps.now() + 1000);
            queue.push(item);
            continue;
          }
          const failure = settledFailure(error);
          if (!failure) {
            console.error(`[keyshift] inventory: reading the keys of ${item.id} failed`, String(error));
            continue; // a passing fault: the row stays due and is read again next tick
          }
          pending.push({
            ...(item.previous ?? inventoryRowOf(this.tenant, item, [], new Date(sentAt))),
            keysState: failure.keysState,
            error: failure.message,
            checkedAt: new Date(sentAt),
            staleSince: null,
          });
          done += 1;
        }
        if (pending.length >= WRITE_EVERY) await flush();
      }
    };
    await Promise.all(Array.from({ length: this.settings.concurrency }, worker));
    await flush();
    return done;
  }
}

/** The tenant in scope's domain: what every inventory row is keyed by. */
export const inventoryTenant = () => currentTenant().domain;
