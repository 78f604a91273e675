/** What the browser receives about the audit trail: plain JSON values, no Dates, nothing server-only. */
// Type-only: the shapes follow the store's and the log sync's, and no server code reaches the bundle.
import type { AuditEvent, RotationRow } from '@/lib/audit';
import type { LogSyncStatus } from '@/lib/audit/log-sync/status';

export type { LogSyncStatus };

/** One rotation on the audit page: the store's RotationRow with its times as ISO strings. */
export type RotationRowView = Omit<RotationRow, 'requestedAt' | 'settledAt'> & {
  /** When it happened: the request, or for an external rotation the date in Auth0's log. */
  happenedAt: string;
  /** When the audit trail recorded it (the request event's time). */
  recordedAt: string;
  settledAt: string | null;
};

/** One raw audit event, every column, with its time as an ISO string. */
export type AuditEventView = Omit<AuditEvent, 'occurredAt' | 'type' | 'details'> & {
  occurredAt: string;
  type: string;
  details: Record<string, unknown> | null;
};

export interface RotationDetailView {
  row: RotationRowView;
  /** The events behind the row, in chain order: requested and outcomes, or the one external event. */
  events: AuditEventView[];
}

export interface AuditPageView {
  rows: RotationRowView[];
  nextCursor: string | null;
  sync: LogSyncStatus;
}

export type ChainStatus =
  | { ok: true; checked: number; checkedAt: string; head: { id: number; hash: string } | null }
  | { ok: false; checked: number; checkedAt: string; firstBroken: { id: number; reason: string } };
