import 'server-only';
// The rotations the audit page and a connection's page list, and one rotation's detail, shaped for the browser
// (types.ts): the store's rows with ISO times, and an external rotation dated by Auth0's log.
import {
  type AuditEvent,
  type AuditEventType,
  type AuditStore,
  auditStore,
  isOutcomeType,
  outcomeTypes,
  type RotationRow,
  rotationRow,
} from '@/lib/audit';
import { lastLogSyncStatus, syncExternalRotations } from '@/lib/audit/log-sync';
import { currentTenant } from '@/lib/tenants/scope';
import { type AuditSearch, storeFilters } from './filters';
import type { AuditEventView, AuditPageView, RotationDetailView, RotationRowView } from './types';

export const AUDIT_PAGE_SIZE = 50;

/** The events an audit export holds: those behind the rotations the page lists (no sign-ins or denials). */
export const ROTATION_EVENT_TYPES: AuditEventType[] = ['rotation.requested', ...outcomeTypes, 'rotation.external'];

export function eventView(event: AuditEvent): AuditEventView {
  return { ...event, occurredAt: event.occurredAt.toISOString(), details: event.details ?? null };
}

export function rowView(row: RotationRow, anchor?: AuditEvent | null): RotationRowView {
  const { requestedAt, settledAt, ...rest } = row;
  const loggedAt = anchor?.type === 'rotation.external' ? anchor.details?.date : undefined;
  return {
    ...rest,
    happenedAt: typeof loggedAt === 'string' ? loggedAt : requestedAt.toISOString(),
    recordedAt: requestedAt.toISOString(),
    settledAt: settledAt?.toISOString() ?? null,
  };
}

/** External rows show when Auth0 rotated (their log's date), which only the event's details hold. */
async function anchorsOf(rows: RotationRow[]): Promise<Map<number, AuditEvent>> {
  const store = await auditStore();
  const external = rows.filter((row) => row.outcome === 'external');
  const events = await Promise.all(external.map((row) => store.get(row.id)));
  return new Map(events.filter((event) => event !== null).map((event) => [event.id, event]));
}

export interface AuditPageOptions {
  cursor?: string | null;
  limit?: number;
  /** Read the tenant's logs first (throttled), waiting at most SYNC_WAIT_MS for it. */
  sync?: boolean;
}

/** One page of the tenant in scope's rotations, newest first, with how the latest read of its logs went. */
export async function auditPage(search: AuditSearch, options: AuditPageOptions = {}): Promise<AuditPageView> {
  const sync = options.sync ? await syncExternalRotations() : lastLogSyncStatus();
  const store = await auditStore();
  const page = await store.listRotations({
    filters: { ...storeFilters(search), tenant: currentTenant().domain },
    cursor: options.cursor ?? null,
    limit: options.limit ?? AUDIT_PAGE_SIZE,
  });
  const anchors = await anchorsOf(page.events);
  return { rows: page.events.map((row) => rowView(row, anchors.get(row.id))), nextCursor: page.nextCursor, sync };
}

/** The list's row for one rotation, from its events: the anchor joined with its latest outcome (as listRotations). */
export function rotationRowOf(anchor: AuditEvent, events: AuditEvent[]): RotationRow {
  const external = anchor.type === 'rotation.external';
  const outcome = external ? null : (events.filter((event) => isOutcomeType(event.type)).at(-1) ?? null);
  return rotationRow(anchor, outcome);
}

/** Every field of one rotation of the tenant in scope and the events behind it; null when the id is not one. */
export async function rotationDetail(id: number): Promise<RotationDetailView | null> {
  const detail = await rotationDetailIn(await auditStore(), id);
  return detail && detail.row.tenant === currentTenant().domain ? detail : null;
}

/** rotationDetail on a given store. */
export async function rotationDetailIn(store: AuditStore, id: number): Promise<RotationDetailView | null> {
  const anchor = await store.get(id);
  if (!anchor || (anchor.type !== 'rotation.requested' && anchor.type !== 'rotation.external')) return null;
  const events =
    anchor.type === 'rotation.requested' && anchor.requestId
      ? (await store.eventsForRequest(anchor.requestId)).filter(
          (event) => event.id >= anchor.id && event.type.startsWith('rotation.'),
        )
      : [anchor, ...(await externalWatchSummary(store, anchor))];
  return { row: rowView(rotationRowOf(anchor, events), anchor), events: events.map(eventView) };
}

/** A Keyshift rotation's watch summary shares its request id; an external one's is found by the event it names. */
async function externalWatchSummary(store: AuditStore, anchor: AuditEvent): Promise<AuditEvent[]> {
  if (!anchor.connectionId) return [];
  const { events } = await store.list({
    filters: { connectionId: anchor.connectionId, types: ['rotation.watch_closed'], from: anchor.occurredAt },
    limit: 20,
  });
  return events.filter((event) => event.details?.rotationEventId === anchor.id);
}
