import { z } from 'zod';
import { rotationOutcomeValues } from './types';

/**
 * The audit page's filters as they travel in its URL (`/audit?connection=…&actor=…&outcome=…&from=…&to=…`), in the
 * export link and in the list action. Dates are whole UTC days, both ends included. A value that does not parse is
 * dropped rather than refused: a hand-edited URL shows the unfiltered list, not an error page.
 */
export const auditOutcomeFilters = ['requested', ...rotationOutcomeValues] as const;
export type AuditOutcomeFilter = (typeof auditOutcomeFilters)[number];

export const AUDIT_SEARCH_KEYS = ['connection', 'actor', 'outcome', 'from', 'to'] as const;
export type AuditSearchKey = (typeof AUDIT_SEARCH_KEYS)[number];

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (value: string) => DAY.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

const field = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => {
    const first = Array.isArray(value) ? value[0] : value;
    return typeof first === 'string' && first.trim() !== '' ? first.trim() : undefined;
  }, schema.optional().catch(undefined));

/** One schema for the URL, the form and the list action's input. */
export const auditSearchSchema = z.object({
  connection: field(z.string().max(256)),
  actor: field(z.string().max(320)),
  outcome: field(z.enum(auditOutcomeFilters)),
  from: field(z.string().refine(isDay)),
  to: field(z.string().refine(isDay)),
});
export type AuditSearch = z.output<typeof auditSearchSchema>;

type SearchParamsLike = URLSearchParams | Record<string, string | string[] | undefined>;

export function parseAuditSearch(params: SearchParamsLike): AuditSearch {
  const record: Record<string, string | undefined> = {};
  for (const key of AUDIT_SEARCH_KEYS) {
    const value = params instanceof URLSearchParams ? params.get(key) : params[key];
    record[key] = Array.isArray(value) ? value[0] : (value ?? undefined);
  }
  return auditSearchSchema.parse(record);
}

/** The URL query for a search: only the fields set, always in the same order (so equal searches give equal URLs). */
export function auditSearchParams(search: AuditSearch): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of AUDIT_SEARCH_KEYS) {
    const value = search[key];
    if (value) params.set(key, value);
  }
  return params;
}

export function auditHref(search: AuditSearch, path = '/audit'): string {
  const query = auditSearchParams(search).toString();
  return query ? `${path}?${query}` : path;
}

export const isFiltered = (search: AuditSearch) => AUDIT_SEARCH_KEYS.some((key) => Boolean(search[key]));

/** The store's filters (lib/audit `AuditFilters`): `to` becomes the exclusive start of the next day. */
export function storeFilters(search: AuditSearch): {
  connectionId?: string;
  actor?: string;
  outcome?: AuditOutcomeFilter;
  from?: Date;
  to?: Date;
} {
  const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000);
  return {
    connectionId: search.connection,
    actor: search.actor,
    outcome: search.outcome,
    from: search.from ? new Date(`${search.from}T00:00:00Z`) : undefined,
    to: search.to ? nextDay(search.to) : undefined,
  };
}

export const OUTCOME_LABELS: Record<AuditOutcomeFilter, string> = {
  requested: 'Made in Keyshift (any outcome)',
  succeeded: 'Succeeded',
  failed: 'Failed',
  unknown: 'Unknown',
  in_progress: 'In progress',
  external: 'External',
};
