import 'server-only';
import { z } from 'zod';
import { isOutcomeType, type OutcomeFilter, outcomeFilters, type RotationOutcome } from './outcomes';
import { type AuditEventRow, type AuditEventType, auditEventTypes } from './schema';
import { isJsonObject, wellFormedJson, wellFormedText } from './well-formed';

// Audit input comes from our own code, but some of it (user agent, Auth0 messages, IdP profiles) is attacker- or
// vendor-supplied: text is kept, not refused, made well formed and capped before it is hashed (well-formed.ts), so
// that what is hashed is what PostgreSQL stores.
const text = (max: number) =>
  z
    .string()
    .transform((value) => wellFormedText(value, max))
    .nullish()
    .transform((value) => value ?? null);
const count = (min: number, max: number) =>
  z
    .number()
    .int()
    .min(min)
    .max(max)
    .nullish()
    .transform((value) => value ?? null);

/**
 * What callers append. The store adds id, occurredAt (the database clock, never earlier than the previous event's),
 * requestedEventId, prevHash and hash. Time observed elsewhere (rotation.external: the Auth0 log's date) goes in
 * `details`, so that occurredAt stays in chain order and a date range is an id range.
 */
export const auditEventInput = z
  .strictObject({
    type: z.enum(auditEventTypes),
    actorSub: text(256),
    actorEmail: text(320),
    actorName: text(256),
    tenant: text(256),
    connectionId: text(256),
    connectionName: text(256),
    algorithm: text(32),
    requestId: text(128),
    clientIp: text(64),
    userAgent: text(1024),
    status: count(100, 599),
    errorCode: text(128),
    message: text(4000),
    newKid: text(256),
    newFingerprint: text(256),
    previousKid: text(256),
    // Rounded rather than refused: an outcome is never lost over a fractional millisecond.
    durationMs: z
      .number()
      .min(0)
      .max(2_147_483_647)
      .transform(Math.round)
      .nullish()
      .transform((value) => value ?? null),
    details: z
      .custom<Record<string, unknown>>(isJsonObject, 'details must be a JSON object')
      .nullish()
      .transform((value) => (value ? (wellFormedJson(value) as Record<string, unknown>) : null)),
  })
  .superRefine((event, ctx) => {
    const rotation = event.type.startsWith('rotation.') || event.type === 'keys.provisioned';
    if (rotation && !event.connectionId) {
      ctx.addIssue({ code: 'custom', path: ['connectionId'], message: `${event.type} needs a connectionId` });
    }
    const needsRequest = event.type === 'rotation.requested' || isOutcomeType(event.type);
    if (needsRequest && !event.requestId) {
      ctx.addIssue({ code: 'custom', path: ['requestId'], message: `${event.type} needs a requestId` });
    }
  });

export type AuditEventInput = z.input<typeof auditEventInput>;
export type ParsedAuditEventInput = z.output<typeof auditEventInput>;
export type AuditEvent = AuditEventRow;

/**
 * Filters shared by the audit page's search params, list, listRotations and export. `outcome: 'requested'` means
 * "rotations Keyshift was asked to make" (any result); `from` is inclusive and `to` exclusive. `types` applies to
 * raw events only.
 */
// A search form submits untouched fields as empty strings; they mean "no filter", not "match the empty string".
const blank = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema.optional());

export const auditFilters = z.object({
  /** The tenant's domain, as events record it. */
  tenant: blank(z.string().trim().max(256)),
  connectionId: blank(z.string().trim().max(256)),
  actor: blank(z.string().trim().max(320)),
  outcome: blank(z.enum(outcomeFilters)),
  types: z.array(z.enum(auditEventTypes)).optional(),
  from: blank(z.coerce.date()),
  to: blank(z.coerce.date()),
});
export type ParsedAuditFilters = z.output<typeof auditFilters>;
/** What callers pass (the schema's own input type is `unknown` per field because of the blank-field step). */
export interface AuditFilters {
  /** Only this tenant's events (its domain, as events record it). */
  tenant?: string;
  connectionId?: string;
  /** A subject (exact) or an email (any case). */
  actor?: string;
  outcome?: OutcomeFilter;
  types?: AuditEventType[];
  /** Inclusive; a Date or anything `new Date()` reads (an ISO string from a search param). */
  from?: Date | string;
  /** Exclusive. */
  to?: Date | string;
}

export interface ListQuery {
  filters?: AuditFilters;
  /** `nextCursor` from the previous page; absent for the newest page. */
  cursor?: string | null;
  /** 1–500, default 50. */
  limit?: number;
}

export interface Page<T> {
  events: T[];
  nextCursor: string | null;
}

/** One rotation: its rotation.requested (or rotation.external) event joined with its latest outcome. */
export interface RotationRow {
  /** The id of the rotation.requested or rotation.external event; the page order and the cursor key. */
  id: number;
  requestId: string | null;
  outcome: RotationOutcome;
  requestedAt: Date;
  settledAt: Date | null;
  outcomeEventId: number | null;
  actorSub: string | null;
  actorEmail: string | null;
  actorName: string | null;
  tenant: string | null;
  connectionId: string | null;
  connectionName: string | null;
  algorithm: string | null;
  status: number | null;
  errorCode: string | null;
  message: string | null;
  newKid: string | null;
  newFingerprint: string | null;
  previousKid: string | null;
  durationMs: number | null;
}

export interface VerifyResult {
  ok: boolean;
  /** Events examined, including the broken one. */
  checked: number;
  firstBroken?: { id: number; reason: string };
  /** The last event checked: record it elsewhere to detect a rewrite of the whole tail later. */
  head?: { id: number; hash: string };
}

export class AuditInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditInputError';
  }

  /** Thrown by the process-wide store, possibly another server bundle's copy of this class (see ConnectionLockedError). */
  static [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Error && value.name === 'AuditInputError';
  }
}

/** The chain stayed locked (another writer's transaction) past the lock timeout: nothing was appended. */
export class AuditBusyError extends Error {
  constructor(message = 'The audit trail is busy: another writer held it past the lock timeout.') {
    super(message);
    this.name = 'AuditBusyError';
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Error && value.name === 'AuditBusyError';
  }
}

/**
 * A rotation.requested refused because its connection already has a request without an outcome: a rotation in
 * progress elsewhere (whose lock this one should not have got), or one a dead process left to be settled.
 */
export class RotationPendingError extends Error {
  constructor(
    readonly connectionId: string,
    readonly pendingRequestId: string | null,
  ) {
    super(`Connection ${connectionId} already has a rotation requested without an outcome (${pendingRequestId}).`);
    this.name = 'RotationPendingError';
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Error && value.name === 'RotationPendingError';
  }
}
