import { apiError } from './http';
import { fieldProjection, offsetPage, QueryReader, queryError } from './query';

/** An Auth0 tenant log event, as much of it as the emulator records (`sapi` key operations, `s`/`f` sign-ins). */
export interface LogEvent {
  date: string;
  type: string;
  description: string;
  client_id: string;
  client_name?: string;
  /** Sign-ins only. */
  connection?: string;
  connection_id?: string;
  strategy?: string;
  strategy_type?: string;
  user_id?: string;
  user_name?: string;
  ip: string;
  user_agent: string;
  hostname: string;
  details: { request: Record<string, unknown>; response: { statusCode: number; body: unknown } };
  log_id: string;
  isMobile: boolean;
}

export type NewLogEvent = Omit<LogEvent, 'date' | 'log_id' | 'hostname' | 'isMobile'>;

/**
 * Auth0 log ids are 56-digit, time-ordered strings; here a zero-padded sequence, so that comparing two ids
 * as strings orders them like their events (what checkpoint reads by `from` rely on).
 */
const logId = (seq: number) => `900${String(seq).padStart(53, '0')}`;

/** Sign-in events kept (oldest dropped first), so demo traffic cannot grow the state file without bound. */
export const SIGN_IN_RETENTION = 5000;
const isSignIn = (event: LogEvent) => event.type === 's' || event.type === 'f';

export class LogStore {
  private signIns: number;

  constructor(
    /** The tenant's domain, every event's `hostname`. */
    private readonly hostname: string,
    private events: LogEvent[] = [],
    private seq = events.length,
    private readonly clock: () => number = Date.now,
    private readonly signInRetention = SIGN_IN_RETENTION,
  ) {
    this.signIns = events.filter(isSignIn).length;
  }

  get all(): readonly LogEvent[] {
    return this.events;
  }

  get sequence(): number {
    return this.seq;
  }

  append(event: NewLogEvent): LogEvent {
    this.seq += 1;
    const full: LogEvent = {
      date: new Date(this.clock()).toISOString(),
      ...event,
      hostname: this.hostname,
      log_id: logId(this.seq),
      isMobile: false,
    };
    this.events.push(full);
    if (isSignIn(full) && ++this.signIns > this.signInRetention) {
      this.events.splice(this.events.findIndex(isSignIn), 1);
      this.signIns -= 1;
    }
    return full;
  }

  get(id: string): LogEvent | undefined {
    return this.events.find((event) => event.log_id === id);
  }

  clear(): void {
    this.events = [];
    this.signIns = 0;
  }

  /**
   * `GET /api/v2/logs`. Checkpoint (`from`, exclusive, and/or `take`): oldest first, a plain array.
   * Offset (`page`/`per_page`/`include_totals`): sorted by `sort` (default `date:-1`). Neither: the first 50.
   */
  query(params: URLSearchParams): unknown {
    const query = new QueryReader(params, [
      'from',
      'take',
      'page',
      'per_page',
      'include_totals',
      'sort',
      'fields',
      'include_fields',
      'q',
      'search',
    ]);
    const matches = logFilter(query.string('q') ?? query.string('search') ?? '');
    const project = fieldProjection(query);
    if (query.has('from') || query.has('take')) {
      const from = query.string('from') ?? '';
      const take = query.int('take', { min: 1, max: 100, fallback: 50 });
      return this.events
        .filter((event) => event.log_id > from && matches(event))
        .slice(0, take)
        .map(project);
    }
    const sorted = sortEvents(this.events.filter(matches), query.string('sort') ?? 'date:-1');
    const includeTotals = query.bool('include_totals', false);
    if (!query.has('page') && !query.has('per_page') && !includeTotals) return sorted.slice(0, 50).map(project);
    const page = query.int('page', { min: 0, fallback: 0 });
    const perPage = query.int('per_page', { min: 1, max: 100, fallback: 50 });
    const { start, limit, items } = offsetPage(sorted, page, perPage);
    const logs = items.map(project);
    return includeTotals ? { start, limit, length: logs.length, total: sorted.length, logs } : logs;
  }
}

function sortEvents(events: LogEvent[], sort: string): LogEvent[] {
  const match = /^([a-z_]+):(1|-1)$/.exec(sort);
  if (!match) throw queryError('sort', `String does not match pattern ^(\\w+):(1|-1)$: ${sort}`);
  const field = match[1] as keyof LogEvent;
  const direction = match[2] === '1' ? 1 : -1;
  return [...events].sort(
    (a, b) => direction * (String(a[field]).localeCompare(String(b[field])) || a.log_id.localeCompare(b.log_id)),
  );
}

/**
 * A small subset of Auth0's Lucene `q`: `field:value` terms joined by spaces or `AND`; dotted fields reach
 * into `details`; values match case-insensitively, quoted ones exactly, a trailing `*` as a prefix.
 */
export function logFilter(q: string): (event: LogEvent) => boolean {
  const terms: Array<{ path: string[]; value: string; prefix: boolean }> = [];
  const term = /([A-Za-z_][\w.]*):("([^"]*)"|[^\s"]+)/g;
  const leftover = q.replace(term, (_all, field: string, raw: string, quoted?: string) => {
    const value = (quoted ?? raw).toLowerCase();
    const prefix = quoted === undefined && value.endsWith('*');
    terms.push({ path: field.split('.'), value: prefix ? value.slice(0, -1) : value, prefix });
    return ' ';
  });
  if (leftover.replace(/\bAND\b/g, ' ').trim() !== '') {
    throw apiError(400, `Bad query syntax: unsupported expression in q: ${q}`, 'invalid_query_string');
  }
  return (event) =>
    terms.every(({ path, value, prefix }) => {
      const found = path.reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], event);
      if (found === undefined || found === null || typeof found === 'object') return false;
      const text = String(found).toLowerCase();
      return prefix ? text.startsWith(value) : text === value;
    });
}
