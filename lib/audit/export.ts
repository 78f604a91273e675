import 'server-only';
import type { AuditDb } from './database';
import { eventConditions, parseListQuery } from './filters';
import { selectEvents } from './queries';
import { auditEvents } from './schema';
import { type AuditEvent, type AuditFilters, AuditInputError } from './types';

export type ExportFormat = 'csv' | 'json';

export const EXPORT_BATCH = 1_000;

export interface ExportOptions {
  filters?: AuditFilters;
  format: ExportFormat;
  /** Rows per query and per yielded chunk; default EXPORT_BATCH. */
  batchSize?: number;
}

/** Every column, in the table's order; `details` as JSON text. */
export const csvColumns = [
  'id',
  'occurredAt',
  'type',
  'actorSub',
  'actorEmail',
  'actorName',
  'tenant',
  'connectionId',
  'connectionName',
  'algorithm',
  'requestId',
  'clientIp',
  'userAgent',
  'status',
  'errorCode',
  'message',
  'newKid',
  'newFingerprint',
  'previousKid',
  'durationMs',
  'details',
  'requestedEventId',
  'prevHash',
  'hash',
] as const satisfies readonly (keyof AuditEvent)[];

// A spreadsheet runs a cell starting with one of these as a formula; actor names, user agents and Auth0 messages
// are not ours to trust (OWASP "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/;

/** One RFC 4180 field: quoted when it holds a quote, comma or line break; text that looks like a formula is defused. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  let text = value instanceof Date ? value.toISOString() : typeof value === 'string' ? value : JSON.stringify(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvRow = (fields: readonly unknown[]) => `${fields.map(csvField).join(',')}\r\n`;

/** What a JSON export is, so that a reader (scripts/audit-verify.ts) can tell an export of the whole chain. */
export const JSON_EXPORT_KIND = 'keyshift.audit-export';
export const JSON_EXPORT_VERSION = 1;

/**
 * Streams the events matching `filters`, newest first, one keyset page of EXPORT_BATCH rows per chunk, so the export
 * holds one batch in memory however many rows match. Events appended after the export starts are not included.
 *
 * JSON is `{"kind","version","filtered","filters","events":[…]}`: it says whether it holds the whole chain (no
 * filter: every event from the head back to the first, which audit-verify can check offline) or a selection.
 */
export async function* exportEvents(db: AuditDb, options: ExportOptions): AsyncGenerator<string> {
  const batchSize = options.batchSize ?? EXPORT_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    throw new AuditInputError('batchSize must be an integer from 1 to 10000');
  }
  const { filters } = parseListQuery({ filters: options.filters });
  const conditions = eventConditions(auditEvents, filters);
  const csv = options.format === 'csv';
  let before: number | null = null;
  let first = true;
  yield csv ? csvRow(csvColumns) : jsonHeader(filters);
  for (;;) {
    const batch: AuditEvent[] = await selectEvents(db, conditions, before, batchSize);
    if (batch.length === 0) break;
    if (csv) {
      yield batch.map((event) => csvRow(csvColumns.map((column) => event[column]))).join('');
    } else {
      yield batch.map((event, i) => `${first && i === 0 ? '\n' : ',\n'}${JSON.stringify(event)}`).join('');
      first = false;
    }
    before = (batch.at(-1) as AuditEvent).id;
    if (batch.length < batchSize) break;
  }
  if (!csv) yield first ? ']}\n' : '\n]}\n';
}

function jsonHeader(filters: Record<string, unknown>): string {
  const applied = Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined));
  const filtered = Object.keys(applied).length > 0;
  const header = { kind: JSON_EXPORT_KIND, version: JSON_EXPORT_VERSION, filtered, filters: applied };
  return `${JSON.stringify(header).slice(0, -1)},"events":[`;
}

/**
 * The last words of an export that failed part way (the database stopped answering): an explicit error row in CSV,
 * text that makes the JSON document invalid. The download also ends with a network error (the stream errors), but a
 * CSV cut at a row boundary would otherwise read as a complete, shorter file wherever the partial body is kept.
 */
export function exportFailureMarker(format: ExportFormat, reference: string): string {
  const sentence = `EXPORT FAILED: this file is incomplete; the events above are not all that matched. Reference: ${reference}`;
  return format === 'csv' ? csvRow(['EXPORT FAILED', sentence]) : `\n${sentence}\n`;
}
