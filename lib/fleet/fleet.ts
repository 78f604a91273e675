/**
 * The fleet view's rows and what the browser does with them: pack for the wire, filter, sort, count, CSV. Pure and
 * client-safe; lib/fleet/view.ts builds the rows on the server.
 */
import { type CertState, DAY_MS, type DueState, type PeriodSource } from './policy';

export type FleetReadiness = 'ready' | 'not_ready' | 'unknown';

export interface FleetRow {
  tenantSlug: string;
  tenantName: string;
  production: boolean;
  connectionId: string;
  name: string;
  strategy: string;
  keysState: 'provisioned' | 'not-provisioned' | 'unsupported' | 'error';
  currentKid: string | null;
  algorithm: string | null;
  /** ms since the epoch */
  currentSince: number | null;
  periodDays: number;
  periodSource: PeriodSource;
  dueAt: number | null;
  state: DueState;
  certNotAfter: number | null;
  certState: CertState;
  readiness: FleetReadiness;
  readinessReason: string;
  /** When the inventory last read this connection's keys. */
  checkedAt: number;
  /** The trail saw its keys change since that read; the inventory reads it again shortly. */
  stale: boolean;
  error: string | null;
}

type Tuple = [
  string,
  string,
  0 | 1,
  string,
  string,
  string,
  FleetRow['keysState'],
  string | null,
  string | null,
  number | null,
  number,
  PeriodSource,
  number | null,
  DueState,
  number | null,
  CertState,
  FleetReadiness,
  string,
  number,
  0 | 1,
  string | null,
];

/** One JSON string of tuples: 10,000 rows cross React's Flight decoder untouched (see lib/connections/wire.ts). */
export function packFleet(rows: readonly FleetRow[]): string {
  return JSON.stringify(
    rows.map(
      (r): Tuple => [
        r.tenantSlug,
        r.tenantName,
        r.production ? 1 : 0,
        r.connectionId,
        r.name,
        r.strategy,
        r.keysState,
        r.currentKid,
        r.algorithm,
        r.currentSince,
        r.periodDays,
        r.periodSource,
        r.dueAt,
        r.state,
        r.certNotAfter,
        r.certState,
        r.readiness,
        r.readinessReason,
        r.checkedAt,
        r.stale ? 1 : 0,
        r.error,
      ],
    ),
  );
}

export function unpackFleet(packed: string): FleetRow[] {
  const tuples: unknown = JSON.parse(packed);
  if (!Array.isArray(tuples)) throw new Error('The fleet arrived in an unexpected shape.');
  return tuples.map((tuple) => {
    if (!Array.isArray(tuple) || tuple.length !== 21) throw new Error('The fleet arrived in an unexpected shape.');
    const t = tuple as Tuple;
    return {
      tenantSlug: t[0],
      tenantName: t[1],
      production: t[2] === 1,
      connectionId: t[3],
      name: t[4],
      strategy: t[5],
      keysState: t[6],
      currentKid: t[7],
      algorithm: t[8],
      currentSince: t[9],
      periodDays: t[10],
      periodSource: t[11],
      dueAt: t[12],
      state: t[13],
      certNotAfter: t[14],
      certState: t[15],
      readiness: t[16],
      readinessReason: t[17],
      checkedAt: t[18],
      stale: t[19] === 1,
      error: t[20],
    };
  });
}

export const SORT_KEYS = [
  'due',
  'age',
  'name',
  'state',
  'algorithm',
  'readiness',
  'tenant',
  'cert',
  'checked',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = 'asc' | 'desc';

export interface FleetFilters {
  state: DueState | 'all';
  readiness: FleetReadiness | 'all';
  algorithm: string | 'all';
  tenant: string | 'all';
  /** Certificates expiring or expired only. */
  certAttention: boolean;
  search: string;
}

export const NO_FILTERS: FleetFilters = {
  state: 'all',
  readiness: 'all',
  algorithm: 'all',
  tenant: 'all',
  certAttention: false,
  search: '',
};

const STATE_ORDER: Record<DueState, number> = { overdue: 0, due_soon: 1, ok: 2, no_key: 3 };
const READINESS_ORDER: Record<FleetReadiness, number> = { not_ready: 0, unknown: 1, ready: 2 };

/** Key age in whole days at `now`; null without a current key. */
export function keyAgeDays(row: Pick<FleetRow, 'currentSince'>, now: number): number | null {
  return row.currentSince === null ? null : Math.floor((now - row.currentSince) / DAY_MS);
}

/** Nulls last whichever the direction: a connection without a key has no due date to sort by. */
function compareNullable(a: number | null, b: number | null, sign: number): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return (a - b) * sign;
}

export function compareFleet(key: SortKey, direction: SortDirection): (a: FleetRow, b: FleetRow) => number {
  const sign = direction === 'asc' ? 1 : -1;
  const byName = (a: FleetRow, b: FleetRow) => a.name.localeCompare(b.name) || a.tenantSlug.localeCompare(b.tenantSlug);
  const primary = (a: FleetRow, b: FleetRow): number => {
    switch (key) {
      case 'due':
        return compareNullable(a.dueAt, b.dueAt, sign);
      case 'age':
        // Older keys became current earlier: ascending age is descending currentSince.
        return compareNullable(a.currentSince, b.currentSince, -sign);
      case 'cert':
        return compareNullable(a.certNotAfter, b.certNotAfter, sign);
      case 'checked':
        return (a.checkedAt - b.checkedAt) * sign;
      case 'state':
        return (STATE_ORDER[a.state] - STATE_ORDER[b.state]) * sign;
      case 'readiness':
        return (READINESS_ORDER[a.readiness] - READINESS_ORDER[b.readiness]) * sign;
      case 'algorithm':
        return (a.algorithm ?? '\uffff').localeCompare(b.algorithm ?? '\uffff') * sign;
      case 'tenant':
        return a.tenantName.localeCompare(b.tenantName) * sign;
      case 'name':
        return byName(a, b) * sign;
    }
  };
  return (a, b) => primary(a, b) || byName(a, b);
}

export function filterFleet(rows: readonly FleetRow[], filters: FleetFilters): FleetRow[] {
  const search = filters.search.trim().toLowerCase();
  return rows.filter(
    (row) =>
      (filters.state === 'all' || row.state === filters.state) &&
      (filters.readiness === 'all' || row.readiness === filters.readiness) &&
      (filters.algorithm === 'all' || row.algorithm === filters.algorithm) &&
      (filters.tenant === 'all' || row.tenantSlug === filters.tenant) &&
      (!filters.certAttention || row.certState === 'expiring' || row.certState === 'expired') &&
      (search === '' || row.name.toLowerCase().includes(search) || row.connectionId.toLowerCase().includes(search)),
  );
}

export interface FleetCounts {
  overdue: number;
  due_soon: number;
  ok: number;
  no_key: number;
  certExpiring: number;
  certExpired: number;
  notReady: number;
}

export function countFleet(rows: readonly FleetRow[]): FleetCounts {
  const counts: FleetCounts = {
    overdue: 0,
    due_soon: 0,
    ok: 0,
    no_key: 0,
    certExpiring: 0,
    certExpired: 0,
    notReady: 0,
  };
  for (const row of rows) {
    counts[row.state] += 1;
    if (row.certState === 'expiring') counts.certExpiring += 1;
    if (row.certState === 'expired') counts.certExpired += 1;
    if (row.readiness === 'not_ready') counts.notReady += 1;
  }
  return counts;
}

/** A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) is prefixed with ' (OWASP's CSV injection advice). */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const FLEET_CSV_COLUMNS = [
  'tenant',
  'connection_id',
  'connection',
  'strategy',
  'state',
  'due_at',
  'period_days',
  'period_source',
  'current_kid',
  'algorithm',
  'current_since',
  'key_age_days',
  'certificate_not_after',
  'certificate_state',
  'readiness',
  'checked_at',
  'error',
] as const;

/** The rows as CSV (header row, CRLF), as the fleet view shows them at `now`. */
export function fleetCsv(rows: readonly FleetRow[], now: number): string {
  const lines = [FLEET_CSV_COLUMNS.join(',')];
  for (const row of rows) {
    lines.push(
      [
        row.tenantSlug,
        row.connectionId,
        row.name,
        row.strategy,
        row.state,
        iso(row.dueAt),
        row.periodDays,
        row.periodSource,
        row.currentKid,
        row.algorithm,
        iso(row.currentSince),
        keyAgeDays(row, now),
        iso(row.certNotAfter),
        row.certState,
        row.readiness,
        iso(row.checkedAt),
        row.error,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
