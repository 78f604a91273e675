import 'server-only';
import { z } from 'zod';
import { callAuth0 } from './client';
import { Auth0Error } from './errors';

/** One Auth0 tenant log event, in Keyshift's shape: only what the audit trail reads from it. */
export interface TenantLogEvent {
  logId: string;
  /** ISO-8601, as Auth0 recorded it (Auth0's clock, not ours). */
  date: string;
  /** Event type code: `sapi` is a successful Management API operation. */
  type: string;
  description: string | null;
  clientId: string | null;
  clientName: string | null;
  ip: string | null;
  userAgent: string | null;
  request: { method: string | null; path: string | null; body: unknown } | null;
  response: { statusCode: number | null; body: unknown } | null;
}

/** Checkpoint reads return at most this many events (Auth0's limit). */
export const LOG_PAGE_SIZE = 100;

const text = z
  .string()
  .nullish()
  .catch(null)
  .transform((value) => value ?? null);

const rawLogSchema = z.looseObject({
  log_id: z.string().min(1),
  date: z.union([z.string(), z.date()]),
  type: z.string(),
  description: text,
  client_id: text,
  client_name: text,
  ip: text,
  user_agent: text,
  details: z
    .looseObject({
      request: z.looseObject({ method: text, path: text, body: z.unknown() }).nullish().catch(null),
      response: z
        .looseObject({ statusCode: z.number().int().nullish().catch(null), body: z.unknown() })
        .nullish()
        .catch(null),
    })
    .nullish()
    .catch(null),
});

/** Reshapes one raw log event; null when it lacks what every log event has (an id, a date, a type). */
export function toTenantLogEvent(raw: unknown): TenantLogEvent | null {
  const parsed = rawLogSchema.safeParse(raw);
  if (!parsed.success) return null;
  const log = parsed.data;
  const date = new Date(log.date);
  if (Number.isNaN(date.getTime())) return null;
  const request = log.details?.request;
  const response = log.details?.response;
  return {
    logId: log.log_id,
    date: date.toISOString(),
    type: log.type,
    description: log.description,
    clientId: log.client_id,
    clientName: log.client_name,
    ip: log.ip,
    userAgent: log.user_agent,
    request: request ? { method: request.method, path: request.path, body: request.body ?? null } : null,
    response: response ? { statusCode: response.statusCode ?? null, body: response.body ?? null } : null,
  };
}

function eventsOf(body: unknown): TenantLogEvent[] {
  // A checkpoint read answers with a plain array; a search answers `{ logs: [...] }` when totals are included.
  const list = Array.isArray(body) ? body : (body as { logs?: unknown } | null)?.logs;
  if (!Array.isArray(list)) {
    throw new Auth0Error('auth0:upstream', 'Auth0 returned a log page Keyshift could not read.');
  }
  return list.map(toTenantLogEvent).filter((event): event is TenantLogEvent => event !== null);
}

/**
 * The log events after `from` (exclusive), oldest first, by checkpoint: Auth0 orders them by log_id and ignores every
 * parameter but `from` and `take`, so filtering is the caller's. The SDK (7.1) has no `from`/`take` in its typed
 * request, so they travel as extra query parameters, and the array is read from the page's raw response.
 */
export async function readLogEventsAfter(from: string, take = LOG_PAGE_SIZE): Promise<TenantLogEvent[]> {
  const page = await callAuth0((client) => client.logs.list({}, { queryParams: { from, take } }));
  return eventsOf(page.response);
}

/**
 * The oldest log event Auth0 still keeps: where a reader with no checkpoint starts (Auth0's documented way to begin
 * checkpoint reads is "the log_id of any log"). Null when the tenant has no logs.
 */
export async function oldestLogEvent(): Promise<TenantLogEvent | null> {
  const page = await callAuth0((client) => client.logs.list({ sort: 'date:1', page: 0, per_page: 1 }));
  return eventsOf(page.response)[0] ?? null;
}

/** One log event by id; null when Auth0 no longer has it (past retention) or never did. */
export async function getLogEvent(logId: string): Promise<TenantLogEvent | null> {
  try {
    return toTenantLogEvent(await callAuth0((client) => client.logs.get(logId)));
  } catch (error) {
    if (error instanceof Auth0Error && error.code === 'auth0:not_found') return null;
    throw error;
  }
}

/** One sign-in log event (`s` or `f`): only what the watch after a rotation reads; no user, no address. */
export interface SignInLogEvent {
  logId: string;
  /** ISO-8601, Auth0's clock. */
  date: string;
  type: string;
  description: string | null;
}

/**
 * One page of the connection's sign-in log events, newest first (`page` from 0). Auth0 is asked for the four fields
 * the watch needs, so user names and addresses never reach Keyshift; other log types it might match are left out.
 */
export async function readSignInPage(
  connectionId: string,
  page: number,
  perPage = LOG_PAGE_SIZE,
): Promise<{ events: SignInLogEvent[]; more: boolean }> {
  const response = await callAuth0((client) =>
    client.logs.list({
      // The SDK's name for Auth0's `q` (Lucene): an exact, case-insensitive match on the connection's id.
      search: `connection_id:"${connectionId.replace(/["\\]/g, '\\$&')}"`,
      sort: 'date:-1',
      page,
      per_page: perPage,
      fields: 'log_id,date,type,description',
      include_fields: true,
    }),
  );
  const events = eventsOf(response.response);
  return {
    events: events
      .filter((event) => event.type === 's' || event.type === 'f')
      .map(({ logId, date, type, description }) => ({ logId, date, type, description })),
    more: events.length >= perPage,
  };
}
