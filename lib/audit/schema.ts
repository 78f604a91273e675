import 'server-only';
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { outcomeTypes } from './outcomes';

export const auditEventTypes = [
  'rotation.requested',
  ...outcomeTypes,
  'rotation.external',
  'keys.provisioned',
  'access.denied',
  'auth.signin',
  'idp.mode_changed',
  'idp.next_key_confirmed',
  'handoff.link_created',
  'handoff.link_revoked',
  'handoff.link_opened',
  'rotation.watch_closed',
  'policy.period_changed',
  'campaign.started',
  'campaign.paused',
  'campaign.resumed',
  'campaign.cancelled',
  'campaign.finished',
  'schedule.changed',
] as const;
export type AuditEventType = (typeof auditEventTypes)[number];

const typeList = sql.raw(auditEventTypes.map((type) => `'${type}'`).join(', '));
// A rotation row in listRotations starts from one of these; the partial indexes below serve that list.
const isRotationAnchor = sql`"type" in ('rotation.requested', 'rotation.external')`;

/**
 * The audit trail. Rows are only ever inserted (a trigger in the migrations rejects UPDATE, DELETE and TRUNCATE);
 * `id` is the chain order and `hash` covers every other column plus `prev_hash` (see chain.ts).
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date' }).notNull(),
    type: text('type').$type<AuditEventType>().notNull(),
    actorSub: text('actor_sub'),
    actorEmail: text('actor_email'),
    actorName: text('actor_name'),
    tenant: text('tenant'),
    connectionId: text('connection_id'),
    connectionName: text('connection_name'),
    algorithm: text('algorithm'),
    requestId: text('request_id'),
    clientIp: text('client_ip'),
    userAgent: text('user_agent'),
    status: integer('status'),
    errorCode: text('error_code'),
    message: text('message'),
    newKid: text('new_kid'),
    newFingerprint: text('new_fingerprint'),
    previousKid: text('previous_kid'),
    durationMs: integer('duration_ms'),
    details: jsonb('details').$type<Record<string, unknown>>(),
    // Set by the store on outcome events: the id of the rotation.requested event they settle. It lets a rotation list
    // filtered by outcome walk one index in rotation order instead of probing every rotation for its outcome.
    requestedEventId: bigint('requested_event_id', { mode: 'number' }),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    check('audit_events_type_check', sql`${t.type} in (${typeList})`),
    check('audit_events_hash_check', sql`${t.hash} ~ '^[0-9a-f]{64}$' and ${t.prevHash} ~ '^[0-9a-f]{64}$'`),
    index('audit_events_connection_idx').on(t.connectionId, t.id),
    // Each tenant's page of the trail (lib/tenants): its events newest first.
    index('audit_events_tenant_idx').on(t.tenant, t.id),
    index('audit_events_type_idx').on(t.type, t.id),
    index('audit_events_connection_type_idx').on(t.connectionId, t.type, t.id),
    index('audit_events_actor_sub_idx').on(t.actorSub, t.id),
    index('audit_events_actor_email_idx').on(sql`lower(${t.actorEmail})`, t.id),
    index('audit_events_occurred_at_idx').on(t.occurredAt, t.id),
    index('audit_events_request_idx').on(t.requestId).where(sql`${t.requestId} is not null`),
    index('audit_events_anchor_idx').on(t.id).where(isRotationAnchor),
    index('audit_events_anchor_connection_idx').on(t.connectionId, t.id).where(isRotationAnchor),
    index('audit_events_settles_idx').on(t.requestedEventId).where(sql`${t.requestedEventId} is not null`),
    index('audit_events_outcome_idx').on(t.type, t.requestedEventId).where(sql`${t.requestedEventId} is not null`),
    index('audit_events_outcome_connection_idx')
      .on(t.connectionId, t.type, t.requestedEventId)
      .where(sql`${t.requestedEventId} is not null`),
    // One watch summary per rotation, however many instances close the window at once: a second insert fails.
    uniqueIndex('audit_events_watch_closed_once')
      .on(sql`(${t.details}->>'rotationEventId')`)
      .where(sql`${t.type} = 'rotation.watch_closed'`),
  ],
);

/**
 * Rotations requested and not yet settled: a row is inserted with the rotation.requested event and deleted with its
 * first outcome, in the same transaction. It is derived from the chain (rebuildable from it, not part of the
 * evidence) and exists because "requested with no outcome" cannot be indexed on the events table itself: without it,
 * finding the few rotations in progress means probing every rotation ever made.
 */
export const pendingRotations = pgTable('pending_rotations', {
  requestedEventId: bigint('requested_event_id', { mode: 'number' }).primaryKey(),
});

/** Who holds a connection's rotation lock, written while the advisory lock is held; a row whose lock is free is stale. */
export const rotationLocks = pgTable('rotation_locks', {
  connectionId: text('connection_id').primaryKey(),
  holderSub: text('holder_sub').notNull(),
  holderEmail: text('holder_email'),
  holderName: text('holder_name'),
  acquiredAt: timestamp('acquired_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/**
 * How each connection's IdP learns keys (lib/idp), set by a rotator; no row means `unknown`. Every change is written in
 * the transaction of its audit event (idp.mode_changed, idp.next_key_confirmed), so the trail names every value this
 * table ever held. The attestation is the last confirmation recorded, for exactly one kid.
 */
export const idpSettings = pgTable(
  'idp_settings',
  {
    tenant: text('tenant').notNull(),
    connectionId: text('connection_id').notNull(),
    mode: text('mode').$type<'jwks_url' | 'pasted' | 'unknown'>().notNull(),
    cacheSeconds: integer('cache_seconds').notNull(),
    confirmedKid: text('confirmed_kid'),
    confirmedBySub: text('confirmed_by_sub'),
    confirmedByName: text('confirmed_by_name'),
    confirmedByEmail: text('confirmed_by_email'),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true, mode: 'date' }),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenant, t.connectionId] }),
    check('idp_settings_mode_check', sql`${t.mode} in ('jwks_url', 'pasted', 'unknown')`),
    check('idp_settings_cache_check', sql`${t.cacheSeconds} between 60 and 604800`),
  ],
);

/**
 * Hand-off links (lib/handoff): a signed, expiring URL an IdP admin opens without an account to get one connection's
 * public keys. A row is inserted with its handoff.link_created event and revoked (revoked_* set, once) with its
 * handoff.link_revoked event, in their transactions; it is never deleted, so the trail can name every link it lists.
 * The token is not stored: it is the id and expiry signed with a key derived from the server's secret (token.ts).
 */
export const handoffLinks = pgTable(
  'handoff_links',
  {
    id: text('id').primaryKey(),
    tenant: text('tenant').notNull(),
    connectionId: text('connection_id').notNull(),
    connectionName: text('connection_name').notNull(),
    createdBySub: text('created_by_sub').notNull(),
    createdByName: text('created_by_name'),
    createdByEmail: text('created_by_email'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    revokedBySub: text('revoked_by_sub'),
    revokedByName: text('revoked_by_name'),
    revokedByEmail: text('revoked_by_email'),
  },
  (t) => [
    index('handoff_links_connection_idx').on(t.tenant, t.connectionId, t.createdAt),
    check('handoff_links_expiry_check', sql`${t.expiresAt} > ${t.createdAt}`),
    check('handoff_links_revoked_check', sql`(${t.revokedAt} is null) = (${t.revokedBySub} is null)`),
  ],
);

/** One key of a connection as the inventory keeps it: what the fleet view and the alerts need, no certificate text. */
export interface InventoryKeyFacts {
  kid: string;
  algorithm: string | null;
  current: boolean;
  next: boolean;
  previous: boolean;
  /** ISO time the key became current (Auth0's current_since), for the current key. */
  currentSince: string | null;
  /** The certificate's validity, ISO; null when it could not be read. */
  notBefore: string | null;
  notAfter: string | null;
}

/**
 * The key inventory (lib/fleet): the latest snapshot of each key-capable connection's keys, per tenant (its domain),
 * read from Auth0 within a share of the rate budget. A cache of Auth0's state, not evidence: rows are replaced and
 * deleted freely (a connection gone from Auth0 leaves it). `stale_since` is set when the tenant logs say the keys
 * changed; the filler reads those first. The current and next keys' facts are columns so the fleet view sorts and
 * filters in SQL; `keys` holds every key.
 */
export const keyInventory = pgTable(
  'key_inventory',
  {
    tenant: text('tenant').notNull(),
    connectionId: text('connection_id').notNull(),
    connectionName: text('connection_name').notNull(),
    strategy: text('strategy').notNull(),
    keysState: text('keys_state').$type<'provisioned' | 'not-provisioned' | 'unsupported' | 'error'>().notNull(),
    keys: jsonb('keys').$type<InventoryKeyFacts[]>().notNull(),
    currentKid: text('current_kid'),
    currentAlgorithm: text('current_algorithm'),
    currentSince: timestamp('current_since', { withTimezone: true, mode: 'date' }),
    currentNotAfter: timestamp('current_not_after', { withTimezone: true, mode: 'date' }),
    nextKid: text('next_kid'),
    nextNotAfter: timestamp('next_not_after', { withTimezone: true, mode: 'date' }),
    /** When Keyshift last read this connection's keys from Auth0. */
    checkedAt: timestamp('checked_at', { withTimezone: true, mode: 'date' }).notNull(),
    staleSince: timestamp('stale_since', { withTimezone: true, mode: 'date' }),
    error: text('error'),
  },
  (t) => [
    primaryKey({ columns: [t.tenant, t.connectionId] }),
    check(
      'key_inventory_state_check',
      sql`${t.keysState} in ('provisioned', 'not-provisioned', 'unsupported', 'error')`,
    ),
    index('key_inventory_checked_idx').on(t.tenant, t.checkedAt),
    index('key_inventory_stale_idx').on(t.tenant, t.staleSince).where(sql`${t.staleSince} is not null`),
  ],
);

/** The tenant-wide row of rotation_policies has this connection id. */
export const TENANT_POLICY = '';

/**
 * Rotation periods (lib/fleet): the tenant's default (connection_id '') and per-connection overrides, set by rotators.
 * Written only in the transaction of its policy.period_changed event; `period_days` null means "no override" (the
 * connection follows the tenant, the tenant follows the configured default), so removing one is an update, not a delete.
 */
export const rotationPolicies = pgTable(
  'rotation_policies',
  {
    tenant: text('tenant').notNull(),
    connectionId: text('connection_id').notNull(),
    periodDays: integer('period_days'),
    updatedBySub: text('updated_by_sub').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenant, t.connectionId] }),
    check('rotation_policies_period_check', sql`${t.periodDays} is null or ${t.periodDays} between 1 and 3650`),
  ],
);

/**
 * Alerts to send (lib/notify), one row per alert and channel target: the outbox. `dedupe_key` is unique, so an alert
 * is enqueued once however many instances find it owed; a row is claimed by moving `next_attempt_at` past a lease
 * (`for update skip locked` on PostgreSQL), so one instance sends it at a time, and a crashed sender's lease runs out.
 * Its `id` is the Standard Webhooks `webhook-id`, the same on every retry.
 */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: text('id').primaryKey(),
    dedupeKey: text('dedupe_key').notNull(),
    tenant: text('tenant').notNull(),
    kind: text('kind').notNull(),
    connectionId: text('connection_id'),
    connectionName: text('connection_name'),
    channel: text('channel').$type<'webhook' | 'slack' | 'email'>().notNull(),
    /** Where it goes, as shown to rotators: a URL's origin (a Slack URL's path is its secret), or the addresses. */
    target: text('target').notNull(),
    /** SHA-256 of the real destination: which configured URL or address list it is, without storing it. */
    targetKey: text('target_key').notNull(),
    subject: text('subject').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status').$type<'pending' | 'sent' | 'failed'>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('notification_deliveries_dedupe_idx').on(t.dedupeKey),
    index('notification_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('notification_deliveries_tenant_idx').on(t.tenant, t.createdAt),
    check('notification_deliveries_status_check', sql`${t.status} in ('pending', 'sent', 'failed')`),
    check('notification_deliveries_channel_check', sql`${t.channel} in ('webhook', 'slack', 'email')`),
  ],
);

/** Where each background reader of the trail got to (lib/notify's rotation alerts): the last event id it handled. */
export const trailCursors = pgTable('trail_cursors', {
  name: text('name').primaryKey(),
  eventId: bigint('event_id', { mode: 'number' }).notNull(),
});

/**
 * Rotation campaigns (lib/campaigns): many connections rotated as jobs. A campaign row is written only in the
 * transaction of its campaign.* event; its items are the plan the operator confirmed (the kids each rotation expects,
 * the algorithm, the readiness acknowledged), then each item's progress. An item moves pending → running (claimed
 * with a request id, in one statement, so one runner has it) → an outcome; a running item whose runner died is
 * settled from the audit trail by its request id before anything else is tried.
 */
export const campaigns = pgTable(
  'campaigns',
  {
    id: text('id').primaryKey(),
    tenant: text('tenant').notNull(),
    state: text('state').$type<'running' | 'paused' | 'cancelled' | 'finished'>().notNull(),
    /** What was chosen, as the operator described it ("all overdue", "3 selected", …). */
    selection: text('selection').notNull(),
    share: real('share').notNull(),
    createdBySub: text('created_by_sub').notNull(),
    createdByEmail: text('created_by_email'),
    createdByName: text('created_by_name'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('campaigns_tenant_idx').on(t.tenant, t.createdAt),
    check('campaigns_state_check', sql`${t.state} in ('running', 'paused', 'cancelled', 'finished')`),
  ],
);

export const campaignItemStatuses = [
  'pending',
  'running',
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
  'unknown',
] as const;
export type CampaignItemStatus = (typeof campaignItemStatuses)[number];

export const campaignItems = pgTable(
  'campaign_items',
  {
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    connectionId: text('connection_id').notNull(),
    position: integer('position').notNull(),
    connectionName: text('connection_name').notNull(),
    /** Null for an item skipped at planning because it has no keys to rotate. */
    algorithm: text('algorithm'),
    expectedCurrentKid: text('expected_current_kid'),
    expectedNextKid: text('expected_next_kid'),
    /** The readiness the plan showed: 'ready', 'not_ready' or 'unknown'. */
    plannedReadiness: text('planned_readiness').notNull(),
    /** Set when the plan includes a not-ready item with the operator's acknowledgment; null: skipped unless ready. */
    acknowledgedReadiness: text('acknowledged_readiness'),
    status: text('status').$type<CampaignItemStatus>().notNull(),
    requestId: text('request_id'),
    attempts: integer('attempts').notNull().default(0),
    newKid: text('new_kid'),
    message: text('message'),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.connectionId] }),
    index('campaign_items_status_idx').on(t.campaignId, t.status),
    check(
      'campaign_items_status_check',
      sql.raw(`"status" in (${campaignItemStatuses.map((status) => `'${status}'`).join(', ')})`),
    ),
  ],
);

/**
 * A tenant's scheduled rotation (lib/campaigns/schedule.ts): off by default; when on, due connections that are ready
 * are rotated by a campaign inside each maintenance window (a cron expression in a time zone opens it, `window_minutes`
 * long). Written only with its schedule.changed event.
 */
export const rotationSchedules = pgTable(
  'rotation_schedules',
  {
    tenant: text('tenant').primaryKey(),
    enabled: boolean('enabled').notNull(),
    cron: text('cron').notNull(),
    timeZone: text('time_zone').notNull(),
    windowMinutes: integer('window_minutes').notNull(),
    updatedBySub: text('updated_by_sub').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [check('rotation_schedules_window_check', sql`${t.windowMinutes} between 15 and 1440`)],
);

/** One row per maintenance window a tenant's schedule acted in: inserted once (whoever gets there first runs it). */
export const scheduleRuns = pgTable(
  'schedule_runs',
  {
    tenant: text('tenant').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true, mode: 'date' }).notNull(),
    campaignId: text('campaign_id'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenant, t.windowStart] })],
);

export type AuditEventRow = typeof auditEvents.$inferSelect;
