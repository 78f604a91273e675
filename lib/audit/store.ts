import 'server-only';
import path from 'node:path';
import { processWide, processWidePromise } from '@/lib/async/process-wide';
import { config, type DatabaseConfig } from '@/lib/config';
import { appendEvent } from './append';
import {
  type CampaignCounts,
  type CampaignItemOutcome,
  type CampaignItemRow,
  type CampaignRow,
  type CampaignState,
  campaignCounts,
  changeCampaignState,
  claimCampaignItem,
  claimScheduleRun,
  insertCampaign,
  listCampaigns,
  type NewCampaign,
  type NewCampaignItem,
  readCampaign,
  readCampaignItem,
  readCampaignItems,
  readScheduleRun,
  readSchedules,
  recordScheduleRun,
  runningCampaigns,
  type ScheduleRow,
  type ScheduleWrite,
  settleCampaignItem,
  writeSchedule,
} from './campaigns';
import { type Checkpoints, createCheckpoints, withCheckpoints } from './checkpoint';
import { connectionLocks, type HeldConnectionLock, type LockHolder } from './connection-lock';
import { type AuditDatabase, type AuditStoreOptions, type JobsConnection, openAuditDatabase } from './database';
import { type ExportOptions, exportEvents } from './export';
import {
  type HandoffLinkRow,
  insertHandoffLink,
  listHandoffLinks,
  readHandoffLink,
  revokeHandoffLinkRow,
} from './handoff-links';
import {
  type IdpSettingRow,
  type IdpSettingWrite,
  type NextKeyAppearanceRow,
  nextKeyAppearance,
  nextKeyAppearances,
  readConfiguredIdpSettings,
  readIdpSetting,
  writeIdpSetting,
} from './idp-settings';
import {
  type InventoryRow,
  type KeyChange,
  keyChangesSince,
  markInventoryStale,
  pruneInventory,
  type RotationCount,
  type RotationPolicyRow,
  type RotationPolicyWrite,
  readInventory,
  readRotationPolicies,
  readStaleInventory,
  rotationCounts,
  writeInventory,
  writeRotationPolicy,
} from './inventory';
import {
  advanceTrailCursor,
  claimDeliveries,
  type DeliveryRow,
  enqueueDeliveries,
  eventsAfter,
  listDeliveries,
  type NewDelivery,
  recordDelivery,
  trailCursor,
} from './notifications';
import { danglingRequests, eventsForRequest, getEvent, listEvents } from './queries';
import { listRotations } from './rotations';
import type { AuditEventType } from './schema';
import type { AuditEvent, AuditEventInput, ListQuery, Page, RotationRow, VerifyResult } from './types';
import { verifyChain } from './verify';

/** The audit trail. There is deliberately no way to update or delete an event. */
export interface AuditStore {
  readonly backend: 'postgres' | 'pglite';
  /**
   * Validates (zod `auditEventInput`), chains and stores one event; returns it as stored, with id and hash. Throws
   * AuditBusyError when the chain stays locked past the lock timeout, and RotationPendingError for a
   * rotation.requested while its connection has one without an outcome. A request refused at once (built by
   * refusedRequestEvent, with its errorCode) never reaches Auth0, so it is recorded beside a pending one, and a
   * pending one of its kind holds nothing up.
   */
  append(input: AuditEventInput): Promise<AuditEvent>;
  /** Raw events, newest first. */
  list(query?: ListQuery): Promise<Page<AuditEvent>>;
  /** One row per rotation with its outcome, newest first (see rotations.ts). */
  listRotations(query?: ListQuery): Promise<Page<RotationRow>>;
  get(id: number): Promise<AuditEvent | null>;
  eventsForRequest(requestId: string): Promise<AuditEvent[]>;
  /** Streams the matching events as CSV (header row, CRLF) or a JSON array, in batches. */
  exportEvents(options: ExportOptions): AsyncIterable<string>;
  verify(): Promise<VerifyResult>;
  danglingRequests(olderThanMs: number): Promise<AuditEvent[]>;
  /** How a connection's IdP learns keys (lib/idp): stored only together with the audit event that records it. */
  idpSetting(tenant: string, connectionId: string): Promise<IdpSettingRow | null>;
  saveIdpSetting(event: AuditEventInput, row: IdpSettingWrite): Promise<AuditEvent>;
  nextKeyAppearance(connectionId: string): Promise<NextKeyAppearanceRow | null>;
  /** For the connection list, in one query each: the tenant's recorded settings, and the connections' appearances. */
  configuredIdpSettings(tenant: string): Promise<IdpSettingRow[]>;
  nextKeyAppearances(connectionIds: readonly string[]): Promise<Map<string, NextKeyAppearanceRow>>;
  /** Hand-off links (lib/handoff): created and revoked only together with the audit event that records it. */
  handoffLink(id: string): Promise<HandoffLinkRow | null>;
  handoffLinks(tenant: string, connectionId: string): Promise<HandoffLinkRow[]>;
  createHandoffLink(event: AuditEventInput, row: HandoffLinkRow): Promise<AuditEvent>;
  /** Throws HandoffLinkStateError (nothing appended) when the link is unknown or already revoked. */
  revokeHandoffLink(
    event: AuditEventInput,
    link: { id: string; tenant: string; connectionId: string },
    by: { sub: string; name: string | null; email: string | null },
  ): Promise<AuditEvent>;
  /** The key inventory (lib/fleet), a cache of Auth0's keys per tenant (domain): read, replaced, marked, pruned. */
  inventory(tenant: string): Promise<InventoryRow[]>;
  saveInventory(rows: readonly InventoryRow[]): Promise<void>;
  markInventoryStale(tenant: string, connectionIds: readonly string[], at: Date): Promise<number>;
  staleInventory(tenant: string, limit: number): Promise<InventoryRow[]>;
  /** The latest key-changing event (rotation, provisioning) of each of the tenant's connections after event `afterId`. */
  keyChangesSince(tenant: string, afterId: number): Promise<KeyChange[]>;
  /** Rotations by outcome per tenant and connection (lib/fleet's /metrics). */
  rotationCounts(): Promise<RotationCount[]>;
  pruneInventory(tenant: string, present: readonly string[]): Promise<number>;
  /** Rotation periods (lib/fleet): stored only together with the policy.period_changed event that records them. */
  rotationPolicies(tenant: string): Promise<RotationPolicyRow[]>;
  saveRotationPolicy(event: AuditEventInput, row: RotationPolicyWrite): Promise<AuditEvent>;
  /** The alerts' outbox (lib/notify): enqueued once per dedupe key, claimed under a lease, outcome recorded. */
  enqueueDeliveries(rows: readonly NewDelivery[]): Promise<number>;
  claimDeliveries(now: Date, leaseMs: number, limit: number): Promise<DeliveryRow[]>;
  recordDelivery(id: string, outcome: Parameters<typeof recordDelivery>[2]): Promise<void>;
  deliveries(tenant: string, limit: number): Promise<DeliveryRow[]>;
  /** A background reader's place in the trail (starting at its end), moved only forward, and what came after it. */
  trailCursor(name: string): Promise<number>;
  advanceTrailCursor(name: string, eventId: number): Promise<void>;
  eventsAfter(types: readonly AuditEventType[], afterId: number, limit: number): Promise<AuditEvent[]>;
  /** Where the job engine keeps its queues (lib/campaigns): this same database. */
  jobs: JobsConnection;
  /** Rotation campaigns (lib/campaigns): created and moved between states only with the campaign.* event. */
  startCampaign(event: AuditEventInput, campaign: NewCampaign, items: readonly NewCampaignItem[]): Promise<AuditEvent>;
  changeCampaignState(
    event: AuditEventInput,
    id: string,
    from: readonly CampaignState[],
    to: CampaignState,
  ): Promise<AuditEvent>;
  campaign(id: string): Promise<CampaignRow | null>;
  campaigns(tenant: string, limit: number): Promise<CampaignRow[]>;
  runningCampaigns(): Promise<CampaignRow[]>;
  campaignItems(id: string): Promise<CampaignItemRow[]>;
  campaignItem(campaignId: string, connectionId: string): Promise<CampaignItemRow | null>;
  campaignCounts(id: string): Promise<CampaignCounts>;
  claimCampaignItem(
    campaignId: string,
    connectionId: string,
    requestId: string,
    at: Date,
  ): Promise<CampaignItemRow | null>;
  /** Scheduled rotation per tenant (lib/campaigns): stored only with its schedule.changed event; one run per window. */
  schedules(): Promise<ScheduleRow[]>;
  saveSchedule(event: AuditEventInput, row: ScheduleWrite): Promise<AuditEvent>;
  claimScheduleRun(tenant: string, windowStart: Date): Promise<boolean>;
  recordScheduleRun(tenant: string, windowStart: Date, campaignId: string): Promise<void>;
  scheduleRun(tenant: string, windowStart: Date): Promise<{ campaignId: string | null } | null>;
  settleCampaignItem(
    campaignId: string,
    connectionId: string,
    requestId: string,
    outcome: CampaignItemOutcome,
  ): Promise<boolean>;
  /**
   * Runs fn holding the connection's rotation lock; throws ConnectionLockedError (naming the holder) if taken. fn
   * may ask `lock.confirmHeld()` before an irreversible step (throws LockLostError if the lock's session was lost).
   */
  withConnectionLock<T>(
    connectionId: string,
    holder: LockHolder,
    fn: (lock: HeldConnectionLock) => Promise<T>,
  ): Promise<T>;
  close(): Promise<void>;
}

export function createAuditStore(database: AuditDatabase): AuditStore {
  const { db } = database;
  let closing: Promise<void> | undefined;
  return {
    backend: database.backend,
    jobs: database.jobs,
    append: (input) => appendEvent(db, input, { serialized: database.backend === 'pglite' }),
    list: (query) => listEvents(db, query),
    listRotations: (query) => listRotations(db, query),
    get: (id) => getEvent(db, id),
    eventsForRequest: (requestId) => eventsForRequest(db, requestId),
    exportEvents: (options) => exportEvents(db, options),
    verify: () => verifyChain(db),
    danglingRequests: (olderThanMs) => danglingRequests(db, olderThanMs),
    idpSetting: (tenant, connectionId) => readIdpSetting(db, tenant, connectionId),
    saveIdpSetting: (event, row) =>
      appendEvent(db, event, { serialized: database.backend === 'pglite', alongside: writeIdpSetting(row) }),
    nextKeyAppearance: (connectionId) => nextKeyAppearance(db, connectionId),
    configuredIdpSettings: (tenant) => readConfiguredIdpSettings(db, tenant),
    nextKeyAppearances: (connectionIds) => nextKeyAppearances(db, connectionIds),
    handoffLink: (id) => readHandoffLink(db, id),
    handoffLinks: (tenant, connectionId) => listHandoffLinks(db, tenant, connectionId),
    createHandoffLink: (event, row) =>
      appendEvent(db, event, { serialized: database.backend === 'pglite', alongside: insertHandoffLink(row) }),
    revokeHandoffLink: (event, link, by) =>
      appendEvent(db, event, { serialized: database.backend === 'pglite', alongside: revokeHandoffLinkRow(link, by) }),
    inventory: (tenant) => readInventory(db, tenant),
    saveInventory: (rows) => writeInventory(db, rows),
    markInventoryStale: (tenant, connectionIds, at) => markInventoryStale(db, tenant, connectionIds, at),
    staleInventory: (tenant, limit) => readStaleInventory(db, tenant, limit),
    keyChangesSince: (tenant, afterId) => keyChangesSince(db, tenant, afterId),
    rotationCounts: () => rotationCounts(db),
    pruneInventory: (tenant, present) => pruneInventory(db, tenant, present),
    rotationPolicies: (tenant) => readRotationPolicies(db, tenant),
    saveRotationPolicy: (event, row) =>
      appendEvent(db, event, { serialized: database.backend === 'pglite', alongside: writeRotationPolicy(row) }),
    enqueueDeliveries: (rows) => enqueueDeliveries(db, rows),
    claimDeliveries: (now, leaseMs, limit) => claimDeliveries(db, now, leaseMs, limit),
    recordDelivery: (id, outcome) => recordDelivery(db, id, outcome),
    deliveries: (tenant, limit) => listDeliveries(db, tenant, limit),
    trailCursor: (name) => trailCursor(db, name),
    advanceTrailCursor: (name, eventId) => advanceTrailCursor(db, name, eventId),
    eventsAfter: (types, afterId, limit) => eventsAfter(db, types, afterId, limit),
    startCampaign: (event, campaign, items) =>
      appendEvent(db, event, { serialized: database.backend === 'pglite', alongside: insertCampaign(campaign, items) }),
    changeCampaignState: (event, id, from, to) =>
      appendEvent(db, event, {
        serialized: database.backend === 'pglite',
        alongside: changeCampaignState(id, from, to, new Date()),
      }),
    campaign: (id) => readCampaign(db, id),
    campaigns: (tenant, limit) => listCampaigns(db, tenant, limit),
    runningCampaigns: () => runningCampaigns(db),
    campaignItems: (id) => readCampaignItems(db, id),
    campaignItem: (campaignId, connectionId) => readCampaignItem(db, campaignId, connectionId),
    campaignCounts: (id) => campaignCounts(db, id),
    claimCampaignItem: (campaignId, connectionId, requestId, at) =>
      claimCampaignItem(db, campaignId, connectionId, requestId, at),
    settleCampaignItem: (...args) => settleCampaignItem(db, ...args),
    schedules: () => readSchedules(db),
    saveSchedule: (event, row) =>
      appendEvent(db, event, { serialized: database.backend === 'pglite', alongside: writeSchedule(row) }),
    claimScheduleRun: (tenant, windowStart) => claimScheduleRun(db, tenant, windowStart),
    recordScheduleRun: (tenant, windowStart, campaignId) => recordScheduleRun(db, tenant, windowStart, campaignId),
    scheduleRun: (tenant, windowStart) => readScheduleRun(db, tenant, windowStart),
    withConnectionLock: connectionLocks(database),
    close() {
      closing ??= database.close();
      return closing;
    },
  };
}

/** An explicit store (tests, scripts): PostgreSQL when databaseUrl is given, else PGlite in dataDir or in memory. */
export async function openAuditStore(options: AuditStoreOptions): Promise<AuditStore> {
  return createAuditStore(await openAuditDatabase(options));
}

/**
 * Where a configured store lives (lib/config.ts): PostgreSQL at DATABASE_URL (migrated through DATABASE_MIGRATION_URL
 * when set), else PGlite in `${dataDir}/audit`.
 */
export function auditStoreOptions({ databaseUrl, migrationUrl, dataDir }: DatabaseConfig): AuditStoreOptions {
  if (!databaseUrl) return { dataDir: path.join(dataDir, 'audit') };
  return migrationUrl ? { databaseUrl, migrationUrl } : { databaseUrl };
}

/**
 * The process-wide store, opened (and migrated) on first use and shared by every request. A failed open is
 * forgotten so that the next call tries again instead of failing forever.
 */
export function auditStore(): Promise<AuditStore> {
  return processWidePromise('audit-store', async () =>
    withCheckpoints(await openAuditStore(auditStoreOptions(config())), serverCheckpoints()),
  );
}

/** The process's checkpoint log (checkpoint.ts): its head every N appends, and at shutdown (lib/server/start.ts). */
export function serverCheckpoints(): Checkpoints {
  return processWide('audit-checkpoints', () =>
    createCheckpoints({
      every: config().auditCheckpointEvery,
      log: (line) => console.log(line),
      now: () => new Date(),
    }),
  );
}
