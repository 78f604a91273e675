import 'server-only';
import type { ConnectionKey } from '@/lib/auth0/types';
import { currentTenant } from '@/lib/tenants/scope';
import type { OutcomeType } from './outcomes';
import type { AuditEvent, AuditEventInput } from './types';

/**
 * Every event Keyshift writes is built here, one function per type, from what its writer knows: who, which
 * connection, from where, what happened. The chain hashes every field, so a type's fields are decided in one place
 * rather than by each writer. Parameter types are the shapes the builders need, not lib/auth's or lib/rotation's own
 * (which satisfy them): those modules write to the audit, and the audit imports neither.
 */

/**
 * The tenant an event names: the one in scope (lib/tenants/scope), by its domain. Rotation events take it from their RotationContext instead,
 * so that a rotation is testable without a configuration and a settled rotation names its request's tenant.
 */
export function auditTenant(): string {
  return currentTenant().domain;
}

export interface Actor {
  sub: string;
  email: string | null;
  name: string | null;
}

/** A request of a signed-in user: the id the action gave it, and the client's address and user agent. */
export interface UserRequest {
  user: Actor;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
}

/** One rotation as each of its events names it: who asked, for which connection and algorithm, from where. */
export interface RotationContext {
  tenant: string;
  requestId: string;
  user: Actor;
  connectionId: string;
  connectionName: string;
  algorithm: string;
  clientIp: string | null;
  userAgent: string | null;
  /** The campaign this rotation is an item of (lib/campaigns): recorded in the details of each of its events. */
  campaignId?: string;
}

/** What an outcome says beyond its rotation: the key revoked, Auth0's answer, the new key, how long it took. */
export interface RotationOutcomeFacts {
  previousKid: string | null;
  status?: number | null;
  errorCode?: string | null;
  message?: string | null;
  newKid?: string | null;
  newFingerprint?: string | null;
  durationMs?: number | null;
}

function rotationFields(rotation: RotationContext) {
  return {
    requestId: rotation.requestId,
    actorSub: rotation.user.sub,
    actorEmail: rotation.user.email,
    actorName: rotation.user.name,
    tenant: rotation.tenant,
    connectionId: rotation.connectionId,
    connectionName: rotation.connectionName,
    algorithm: rotation.algorithm,
    clientIp: rotation.clientIp,
    userAgent: rotation.userAgent,
  };
}

/**
 * Written before Auth0 is called (no record, no rotation); `previousKid` is the key the rotation will revoke and
 * `promotedKid` (in details) the `next` key it will make current: together they let a request left without an outcome
 * be settled exactly (lib/rotation/settle-dangling.ts). A request refused before the keys were read knows neither.
 */
/**
 * A rotation past the readiness gate: the IdP was not known to trust the key being promoted, and the operator
 * acknowledged that sign-ins through the connection will fail until it does.
 */
export interface ReadinessOverride {
  readiness: 'not_ready' | 'unknown';
  reason: string;
  acknowledged: true;
}

export function rotationRequestedEvent(
  rotation: RotationContext,
  previousKid: string | null,
  promotedKid?: string | null,
  override?: ReadinessOverride,
): AuditEventInput {
  const details = {
    ...(promotedKid === undefined ? {} : { promotedKid }),
    ...(override ? { override: { ...override } } : {}),
    ...campaignDetails(rotation),
  };
  return {
    type: 'rotation.requested',
    ...rotationFields(rotation),
    previousKid,
    ...(Object.keys(details).length === 0 ? {} : { details }),
  };
}

/**
 * A request refused before anything reached Auth0 (another rotation holds the lock, say), recorded as asked for with
 * the refusal's code; its rotation.failed follows. The code tells the store it will never reach Auth0 (append.ts).
 */
export function refusedRequestEvent(rotation: RotationContext, errorCode: string): AuditEventInput {
  return {
    type: 'rotation.requested',
    ...rotationFields(rotation),
    previousKid: null,
    errorCode,
    ...withCampaign(rotation),
  };
}

function campaignDetails(rotation: RotationContext): { campaignId?: string } {
  return rotation.campaignId ? { campaignId: rotation.campaignId } : {};
}

function withCampaign(rotation: RotationContext): { details?: { campaignId: string } } {
  return rotation.campaignId ? { details: { campaignId: rotation.campaignId } } : {};
}

/** The campaign a stored rotation event belongs to, if any. */
export function eventCampaignId(event: { details: unknown }): string | null {
  const details = event.details as Record<string, unknown> | null;
  return typeof details?.campaignId === 'string' ? details.campaignId : null;
}

export function rotationSucceededEvent(rotation: RotationContext, facts: RotationOutcomeFacts): AuditEventInput {
  return { type: 'rotation.succeeded', ...rotationFields(rotation), ...facts, ...withCampaign(rotation) };
}

export function rotationFailedEvent(rotation: RotationContext, facts: RotationOutcomeFacts): AuditEventInput {
  return { type: 'rotation.failed', ...rotationFields(rotation), ...facts, ...withCampaign(rotation) };
}

/** Auth0's answer was lost and reading the keys back could not tell whether the rotation happened. */
export function rotationUnknownEvent(rotation: RotationContext, facts: RotationOutcomeFacts): AuditEventInput {
  return { type: 'rotation.unknown', ...rotationFields(rotation), ...facts, ...withCampaign(rotation) };
}

/** The outcome event of the given type, for a writer that decides the outcome as it goes (rotate.ts). */
export function rotationOutcomeEvent(
  rotation: RotationContext,
  { type, ...facts }: RotationOutcomeFacts & { type: OutcomeType },
): AuditEventInput {
  switch (type) {
    case 'rotation.succeeded':
      return rotationSucceededEvent(rotation, facts);
    case 'rotation.failed':
      return rotationFailedEvent(rotation, facts);
    case 'rotation.unknown':
      return rotationUnknownEvent(rotation, facts);
  }
}

/**
 * The outcome of a stored rotation.requested event, settled later (lib/rotation/settle-dangling.ts): it names what the
 * request recorded, field for field, null where the request recorded nothing; never a value made up to fill a gap.
 */
export function settledRequestOutcomeEvent(
  requested: AuditEvent,
  { type, ...facts }: RotationOutcomeFacts & { type: OutcomeType },
): AuditEventInput {
  return {
    type,
    requestId: requested.requestId,
    actorSub: requested.actorSub,
    actorEmail: requested.actorEmail,
    actorName: requested.actorName,
    tenant: requested.tenant,
    connectionId: requested.connectionId,
    connectionName: requested.connectionName,
    algorithm: requested.algorithm,
    clientIp: requested.clientIp,
    userAgent: requested.userAgent,
    ...facts,
    ...(eventCampaignId(requested) ? { details: { campaignId: eventCampaignId(requested) } } : {}),
  };
}

/**
 * The kid a stored rotation.requested event was about to promote: a string or null as recorded, `undefined` for an
 * event written before requests recorded it.
 */
export function requestedPromotedKid(requested: AuditEvent): string | null | undefined {
  const details = requested.details as Record<string, unknown> | null;
  if (!details || !('promotedKid' in details)) return undefined;
  return typeof details.promotedKid === 'string' ? details.promotedKid : null;
}

/** Provisioning creates a connection's first keys and revokes none. */
export function keysProvisionedEvent(
  request: UserRequest,
  connection: { id: string; name: string },
  provisioned: { algorithm: string | null; keys: ConnectionKey[] },
): AuditEventInput {
  const next = provisioned.keys.find((key) => key.next);
  const current = provisioned.keys.find((key) => key.current);
  return {
    type: 'keys.provisioned',
    actorSub: request.user.sub,
    actorEmail: request.user.email,
    actorName: request.user.name,
    tenant: auditTenant(),
    connectionId: connection.id,
    connectionName: connection.name,
    algorithm: provisioned.algorithm ?? current?.algorithm ?? null,
    requestId: request.requestId,
    clientIp: request.ip,
    userAgent: request.userAgent,
    status: 201,
    newKid: next?.kid ?? null,
    newFingerprint: next?.fingerprint ?? null,
    details: { currentKid: current?.kid ?? null },
  };
}

/** Who tried what without the right to: kept in the same chain as the rotations. */
export interface DeniedAccess {
  action: string;
  permission: string;
  reason: 'unauthenticated' | 'forbidden';
  user: Actor | null;
  /** The user's role in the tenant asked about. */
  role: string | null;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
}

export function accessDeniedEvent(attempt: DeniedAccess): AuditEventInput {
  return {
    type: 'access.denied',
    actorSub: attempt.user?.sub,
    actorEmail: attempt.user?.email,
    actorName: attempt.user?.name,
    tenant: auditTenant(),
    requestId: attempt.requestId,
    clientIp: attempt.ip,
    userAgent: attempt.userAgent,
    message:
      attempt.reason === 'unauthenticated'
        ? 'No session.'
        : `Role ${attempt.role ?? 'none'} lacks ${attempt.permission}.`,
    details: { action: attempt.action, permission: attempt.permission, reason: attempt.reason },
  };
}

/** A sign-in is to Keyshift, not to one tenant: it names none, and records the roles it gave, per tenant. */
export function signInEvent(
  user: Actor & { roles: { all: string | null; bySlug: Readonly<Record<string, string>> } },
): AuditEventInput {
  return {
    type: 'auth.signin',
    actorSub: user.sub,
    actorEmail: user.email,
    actorName: user.name,
    details: { role: user.roles.all, roles: { ...user.roles.bySlug } },
  };
}

/** What a tenant log says about one key rotation (read by log-sync/rotation-log.ts). */
export interface RotationLogEntry {
  logId: string;
  date: string;
  connectionId: string;
  clientId: string | null;
  clientName: string | null;
  ip: string | null;
  userAgent: string | null;
  description: string | null;
  statusCode: number | null;
  /** The new (next) key, from the response body when Auth0 included it. */
  newKid: string | null;
  newFingerprint: string | null;
  /** The new key's algorithm, else the `signing_alg` asked for. */
  algorithm: string | null;
}

/**
 * A rotation made outside Keyshift. The log's own fields go in `details` (its date is Auth0's clock; occurredAt stays
 * the database's, in chain order); `details.logId` and `details.date` identify the log, so that it is never ingested
 * twice and the newest one ingested is where the next read starts.
 */
export function externalRotationEvent(
  entry: RotationLogEntry,
  context: { tenant: string; connectionName: string | null; ourClientId: string | null },
): AuditEventInput {
  const madeWithKeyshiftClient = context.ourClientId !== null && entry.clientId === context.ourClientId;
  return {
    type: 'rotation.external',
    actorSub: entry.clientId,
    actorName: entry.clientName ?? entry.clientId,
    tenant: context.tenant,
    connectionId: entry.connectionId,
    connectionName: context.connectionName,
    algorithm: entry.algorithm,
    clientIp: entry.ip,
    userAgent: entry.userAgent,
    status: entry.statusCode,
    message: madeWithKeyshiftClient
      ? 'Rotated with Keyshift’s machine-to-machine credentials, but not through Keyshift.'
      : `Rotated outside Keyshift${entry.clientName ? ` by ${entry.clientName}` : ''}, as the tenant logs show.`,
    newKid: entry.newKid,
    newFingerprint: entry.newFingerprint,
    details: {
      source: 'auth0-logs',
      logId: entry.logId,
      date: entry.date,
      clientId: entry.clientId,
      clientName: entry.clientName,
      ip: entry.ip,
      userAgent: entry.userAgent,
      description: entry.description,
      madeWithKeyshiftClient,
    },
  };
}

/** How a connection's IdP learns keys, as an idp.* event records it (lib/idp owns the vocabulary). */
export interface IdpSettingFacts {
  mode: string;
  cacheSeconds: number;
}

/** The connection an idp.* event is about; its tenant is the setting's key, given by lib/idp. */
export interface IdpConnection {
  tenant: string;
  id: string;
  name: string | null;
}

function idpFields(request: UserRequest, connection: IdpConnection) {
  return {
    actorSub: request.user.sub,
    actorEmail: request.user.email,
    actorName: request.user.name,
    tenant: connection.tenant,
    connectionId: connection.id,
    connectionName: connection.name,
    requestId: request.requestId,
    clientIp: request.ip,
    userAgent: request.userAgent,
  };
}

/** A rotator changed how the connection's IdP learns keys; `from` is what was stored (unknown when nothing was). */
export function idpModeChangedEvent(
  request: UserRequest,
  connection: IdpConnection,
  change: { from: IdpSettingFacts; to: IdpSettingFacts },
): AuditEventInput {
  return {
    type: 'idp.mode_changed',
    ...idpFields(request, connection),
    message: `The IdP learns keys by ${change.to.mode} (was ${change.from.mode}).`,
    details: { from: change.from, to: change.to },
  };
}

/** A rotator recorded that the IdP admin confirmed the IdP trusts this kid (the connection's next key then). */
export function idpNextKeyConfirmedEvent(
  request: UserRequest,
  connection: IdpConnection,
  kid: string,
): AuditEventInput {
  return {
    type: 'idp.next_key_confirmed',
    ...idpFields(request, connection),
    newKid: kid,
    message: `The IdP admin confirmed key ${kid}.`,
    details: { kid },
  };
}

/** The hand-off link a handoff.* event is about (lib/handoff); its id is the link's, never its token. */
export interface HandoffLinkFacts {
  id: string;
  tenant: string;
  connectionId: string;
  connectionName: string;
  expiresAt: Date;
}

function handoffFields(link: HandoffLinkFacts) {
  return { tenant: link.tenant, connectionId: link.connectionId, connectionName: link.connectionName };
}

/** A rotator made a hand-off link for the connection's IdP admin. */
export function handoffLinkCreatedEvent(request: UserRequest, link: HandoffLinkFacts): AuditEventInput {
  return {
    type: 'handoff.link_created',
    ...idpFields(request, { tenant: link.tenant, id: link.connectionId, name: link.connectionName }),
    message: `Hand-off link ${link.id} created, valid until ${link.expiresAt.toISOString()}.`,
    details: { linkId: link.id, expiresAt: link.expiresAt.toISOString() },
  };
}

/** A rotator revoked a hand-off link; it is refused from then on. */
export function handoffLinkRevokedEvent(request: UserRequest, link: HandoffLinkFacts): AuditEventInput {
  return {
    type: 'handoff.link_revoked',
    ...idpFields(request, { tenant: link.tenant, id: link.connectionId, name: link.connectionName }),
    message: `Hand-off link ${link.id} revoked.`,
    details: { linkId: link.id, expiresAt: link.expiresAt.toISOString() },
  };
}

/** Someone without a Keyshift account opened a link (no actor); a refused open of a known link names its reason. */
export interface HandoffOpen {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
  /** Null when the link was served; otherwise why it was refused. */
  refused: 'expired' | 'revoked' | 'unavailable' | null;
  /** The kids the page showed (next first), when it was served. */
  servedKids?: string[];
}

export function handoffLinkOpenedEvent(link: HandoffLinkFacts, open: HandoffOpen): AuditEventInput {
  return {
    type: 'handoff.link_opened',
    ...handoffFields(link),
    requestId: open.requestId,
    clientIp: open.ip,
    userAgent: open.userAgent,
    // The page answers every refusal 404 (the App Router has no 410 for a page); Auth0 failing to answer, 503.
    status: open.refused === null ? 200 : open.refused === 'unavailable' ? 503 : 404,
    errorCode: open.refused ? `handoff_${open.refused}` : null,
    message: open.refused
      ? `Hand-off link ${link.id} not served: ${open.refused}.`
      : `Hand-off link ${link.id} opened; public keys shown.`,
    details: {
      linkId: link.id,
      expiresAt: link.expiresAt.toISOString(),
      ...(open.servedKids ? { servedKids: open.servedKids } : {}),
    },
  };
}

/** Sign-ins through a connection since a rotation, as its watch counted them (lib/watch). */
export interface WatchCounts {
  succeeded: number;
  failed: number;
  keyFailures: number;
  firstFailureAt: string | null;
  firstKeyFailureAt: string | null;
  /** The latest success and key failure: sign-ins have recovered when the success is the later one. */
  lastSucceededAt: string | null;
  lastKeyFailureAt: string | null;
  /** False when a read stopped at its page limit (the logs held more than Keyshift reads): the counts are a floor. */
  complete: boolean;
}

/** What the watch after a rotation saw, written once when its window closes (lib/watch). */
export interface WatchSummary extends WatchCounts {
  tenant: string;
  connectionId: string;
  connectionName: string | null;
  /** The audit event of the watched rotation (rotation.succeeded or rotation.external): one summary per rotation. */
  rotationEventId: number;
  /** Keyshift's request id for its own rotation, so the summary is among that rotation's events; null for external. */
  rotationRequestId: string | null;
  newKid: string | null;
  revokedKid: string | null;
  windowStart: string;
  windowEnd: string;
}

export function watchClosedEvent(summary: WatchSummary): AuditEventInput {
  const { tenant, connectionId, connectionName, rotationRequestId, newKid, revokedKid, ...details } = summary;
  const floor = summary.complete ? '' : 'at least ';
  return {
    type: 'rotation.watch_closed',
    tenant,
    connectionId,
    connectionName,
    requestId: rotationRequestId,
    newKid,
    previousKid: revokedKid,
    message:
      `Sign-ins after: ${floor}${summary.succeeded} ok, ${floor}${summary.failed} failed ` +
      `(${summary.keyFailures} key failure${summary.keyFailures === 1 ? '' : 's'}).`,
    details,
  };
}

/** What a rotation period applies to: the whole tenant (its default), or one connection (an override). */
export interface PolicySubject {
  tenant: string;
  connection: { id: string; name: string } | null;
}

/**
 * A rotator changed a rotation period. `from`/`to` are the stored values: a number of days, or null for "none set"
 * (a connection then follows its tenant's period, a tenant the configured default).
 */
export function policyPeriodChangedEvent(
  request: UserRequest,
  subject: PolicySubject,
  change: { from: number | null; to: number | null },
): AuditEventInput {
  const what = subject.connection ? 'This connection' : 'The tenant';
  const from = change.from === null ? 'none of its own' : `${change.from} days`;
  const now =
    change.to === null
      ? `${what} now follows ${subject.connection ? 'the tenant’s period' : 'the configured default'}`
      : `${what} is now rotated every ${change.to} days`;
  return {
    type: 'policy.period_changed',
    actorSub: request.user.sub,
    actorEmail: request.user.email,
    actorName: request.user.name,
    tenant: subject.tenant,
    connectionId: subject.connection?.id ?? null,
    connectionName: subject.connection?.name ?? null,
    requestId: request.requestId,
    clientIp: request.ip,
    userAgent: request.userAgent,
    message: `${now} (was ${from}).`,
    details: { scope: subject.connection ? 'connection' : 'tenant', from: change.from, to: change.to },
  };
}

/** What a campaign event names: the campaign, how many items it has, the selection. */
export interface CampaignSubject {
  tenant: string;
  campaignId: string;
  selection: string;
  items: number;
}

const CAMPAIGN_VERBS = {
  'campaign.started': 'Started',
  'campaign.paused': 'Paused',
  'campaign.resumed': 'Resumed',
  'campaign.cancelled': 'Cancelled',
  'campaign.finished': 'Finished',
} as const;

/**
 * A rotation campaign was confirmed (started), paused, resumed, cancelled, or finished (no actor: its last item did).
 * `counts` (finished, cancelled): how its items ended.
 */
export function campaignEvent(
  type: keyof typeof CAMPAIGN_VERBS,
  request: UserRequest | null,
  subject: CampaignSubject,
  counts?: Record<string, number>,
): AuditEventInput {
  const tally = counts
    ? `: ${Object.entries(counts)
        .filter(([status, count]) => count > 0 && status !== 'total')
        .map(([status, count]) => `${count} ${status}`)
        .join(', ')}`
    : '';
  return {
    type,
    actorSub: request?.user.sub ?? null,
    actorEmail: request?.user.email ?? null,
    actorName: request?.user.name ?? null,
    tenant: subject.tenant,
    requestId: request?.requestId ?? null,
    clientIp: request?.ip ?? null,
    userAgent: request?.userAgent ?? null,
    message: `${CAMPAIGN_VERBS[type]} the campaign rotating ${subject.items} connection${subject.items === 1 ? '' : 's'} (${subject.selection})${tally}.`,
    details: { campaignId: subject.campaignId, items: subject.items, ...(counts ? { counts } : {}) },
  };
}

/** A rotator turned the tenant's scheduled rotation on or off, or changed its maintenance window. */
export function scheduleChangedEvent(
  request: UserRequest,
  tenant: string,
  schedule: { enabled: boolean; cron: string; timeZone: string; windowMinutes: number },
): AuditEventInput {
  const window = `“${schedule.cron}” in ${schedule.timeZone}, ${schedule.windowMinutes} minutes`;
  return {
    type: 'schedule.changed',
    actorSub: request.user.sub,
    actorEmail: request.user.email,
    actorName: request.user.name,
    tenant,
    requestId: request.requestId,
    clientIp: request.ip,
    userAgent: request.userAgent,
    message: schedule.enabled
      ? `Scheduled rotation is on: due connections that are ready are rotated in each window ${window}.`
      : `Scheduled rotation is off (window ${window}).`,
    details: { ...schedule },
  };
}
