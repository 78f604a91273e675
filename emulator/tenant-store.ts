import { apiError } from './http';
import { type KeyRing, provisionRing, rotateRing, type StoredKey } from './keyring';
import { type LogEvent, LogStore } from './logs';
import { buildTenantConnections } from './seed-connections';
import type { Connection, SigningAlg } from './tenant';
import type { TenantSeed } from './tenant-seed';

export interface TenantSnapshot {
  keyRings: Record<string, KeyRing>;
  logs: LogEvent[];
  logSequence: number;
}

/**
 * The tenant's mutable data: connections (fixed by the seed), their key rings and the log.
 * Seeded keys are generated on first use, so a 10,000-connection tenant starts instantly.
 */
export class TenantStore {
  readonly connections: readonly Connection[];
  private readonly byId = new Map<string, Connection>();
  private readonly byName = new Map<string, Connection>();
  private readonly position = new Map<string, number>();
  private readonly seededKeys = new Map<string, SigningAlg>();
  private rings = new Map<string, KeyRing>();
  private planned = new Map<string, SigningAlg>();
  /** Per-connection chain: key operations on one connection run one after another, like a row lock. */
  private readonly queues = new Map<string, Promise<unknown>>();
  logs: LogStore;
  /**
   * Seeded keys made this many days ago (current since then, certificates valid from then), by connection id: the
   * demo's aged keys (`--aged-keys`), so its fleet has keys due and overdue. Empty: made on first use, now.
   */
  keyAges: Readonly<Record<string, number>> = {};
  /** Called when a connection's seeded keys are generated (first use), before any operation on them. */
  onSeededKeys?: (id: string, ring: KeyRing) => Promise<void>;

  constructor(
    readonly seed: TenantSeed,
    extraConnections: number,
    private readonly onChange: () => Promise<void> = async () => {},
    /** The emulator's clock (ms), for log dates; tests inject one. */
    private readonly clock: () => number = Date.now,
  ) {
    this.logs = new LogStore(seed.domain, [], 0, clock);
    const seeded = buildTenantConnections(seed, extraConnections);
    this.connections = seeded.map(({ connection }) => connection);
    seeded.forEach(({ connection, plannedKeys }, index) => {
      this.byId.set(connection.id, connection);
      this.byName.set(connection.name, connection);
      this.position.set(connection.id, index);
      if (plannedKeys) this.seededKeys.set(connection.id, plannedKeys);
    });
    this.planned = new Map(this.seededKeys);
  }

  get domain(): string {
    return this.seed.domain;
  }

  connection(id: string): Connection | undefined {
    return this.byId.get(id);
  }

  connectionByName(name: string): Connection | undefined {
    return this.byName.get(name);
  }

  positionOf(id: string): number | undefined {
    return this.position.get(id);
  }

  hasKeys(id: string): boolean {
    return this.rings.has(id) || this.planned.has(id);
  }

  /** The ring, generating seeded keys now if this is their first use. */
  keyRing(id: string): Promise<KeyRing | undefined> {
    return this.serialized(id, () => this.materialize(id));
  }

  provision(id: string, alg: SigningAlg): Promise<KeyRing> {
    return this.serialized(id, async () => {
      if (this.hasKeys(id)) throw apiError(409, 'Keys have already been created for this connection.', 'conflict');
      const ring = await provisionRing(this.requireName(id), alg);
      this.rings.set(id, ring);
      return ring;
    });
  }

  /** `undefined` when the connection has no keys yet. */
  rotate(id: string, alg: SigningAlg): Promise<{ ring: KeyRing; created: StoredKey } | undefined> {
    return this.serialized(id, async () => {
      const ring = await this.materialize(id);
      if (!ring) return undefined;
      const rotated = await rotateRing(ring, this.requireName(id), alg);
      this.rings.set(id, rotated.ring);
      return rotated;
    });
  }

  /** Persists after a change made outside the key methods (e.g. a log event). */
  changed(): Promise<void> {
    return this.onChange();
  }

  reset(): void {
    this.rings = new Map();
    this.planned = new Map(this.seededKeys);
    this.logs = new LogStore(this.domain, [], 0, this.clock);
  }

  snapshot(): TenantSnapshot {
    return { keyRings: Object.fromEntries(this.rings), logs: [...this.logs.all], logSequence: this.logs.sequence };
  }

  /** Rings of connections that no longer exist (a smaller `--connections`) are dropped. */
  restore(snapshot: TenantSnapshot): void {
    for (const [id, ring] of Object.entries(snapshot.keyRings)) {
      if (!this.byId.has(id)) continue;
      this.rings.set(id, ring);
      this.planned.delete(id);
    }
    this.logs = new LogStore(this.domain, snapshot.logs, snapshot.logSequence, this.clock);
  }

  private async materialize(id: string): Promise<KeyRing | undefined> {
    const existing = this.rings.get(id);
    if (existing) return existing;
    const alg = this.planned.get(id);
    if (!alg) return undefined;
    const ring = await provisionRing(
      this.requireName(id),
      alg,
      new Date(this.clock() - (this.keyAges[id] ?? 0) * 86_400_000),
    );
    this.rings.set(id, ring);
    this.planned.delete(id);
    await this.onSeededKeys?.(id, ring);
    await this.onChange();
    return ring;
  }

  private requireName(id: string): string {
    const connection = this.byId.get(id);
    if (!connection) throw new Error(`unknown connection ${id}`);
    return connection.name;
  }

  private serialized<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(id) ?? Promise.resolve();
    const result = previous.then(work, work);
    const settled = result.catch(() => undefined);
    this.queues.set(id, settled);
    void settled.then(() => {
      if (this.queues.get(id) === settled) this.queues.delete(id);
    });
    return result;
  }
}
