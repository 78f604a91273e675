/** What the browser receives about the audit trail: plain JSON values, no Dates, nothing server-only. */

export const rotationOutcomeValues = ['succeeded', 'failed', 'unknown', 'in_progress', 'external'] as const;
export type RotationOutcomeValue = (typeof rotationOutcomeValues)[number];

/** One rotation on the audit page: the store's RotationRow with its times as ISO strings. */
export interface RotationRowView {
  id: number;
  requestId: string | null;
  outcome: RotationOutcomeValue;
  /** When it happened: the request, or for an external rotation the date in Auth0's log. */
  happenedAt: string;
  /** When the audit trail recorded it (the request event's time). */
  recordedAt: string;
  settledAt: string | null;
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

/** One raw audit event, every column. */
export interface AuditEventView {
  id: number;
  occurredAt: string;
  type: string;
  actorSub: string | null;
  actorEmail: string | null;
  actorName: string | null;
  tenant: string | null;
  connectionId: string | null;
  connectionName: string | null;
  algorithm: string | null;
  requestId: string | null;
  clientIp: string | null;
  userAgent: string | null;
  status: number | null;
  errorCode: string | null;
  message: string | null;
  newKid: string | null;
  newFingerprint: string | null;
  previousKid: string | null;
  durationMs: number | null;
  details: Record<string, unknown> | null;
  requestedEventId: number | null;
  prevHash: string;
  hash: string;
}

export interface RotationDetailView {
  row: RotationRowView;
  /** The events behind the row, in chain order: requested and outcomes, or the one external event. */
  events: AuditEventView[];
}

/** How the last read of the tenant's logs (rotations made outside Keyshift) went. */
export type LogSyncStatus =
  | { state: 'never' }
  | { state: 'ok'; checkedAt: string; ingested: number; behind: boolean }
  | { state: 'missing_scope'; checkedAt: string; message: string }
  | { state: 'failed'; checkedAt: string; message: string };

export interface AuditPageView {
  rows: RotationRowView[];
  nextCursor: string | null;
  sync: LogSyncStatus;
}

export type ChainStatus =
  | { ok: true; checked: number; checkedAt: string; head: { id: number; hash: string } | null }
  | { ok: false; checked: number; checkedAt: string; firstBroken: { id: number; reason: string } };
