import { z } from 'zod';
import { type OutcomeFilter, outcomeFilters } from '@/lib/audit/outcomes';
import { AUDIT_SEARCH_KEYS, type AuditSearch } from './search';

export {
  AUDIT_SEARCH_KEYS,
  type AuditSearch,
  type AuditSearchKey,
  auditHref,
  auditSearchParams,
  isFiltered,
  OUTCOME_LABELS,
} from './search';

/**
 * Parsing the audit page's filters from its URL, its form and the list action's input (search.ts has the rest). A
 * value that does not parse is dropped rather than refused: a hand-edited URL shows the unfiltered list, not an
 * error page.
 */
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
  outcome: field(z.enum(outcomeFilters)),
  from: field(z.string().refine(isDay)),
  to: field(z.string().refine(isDay)),
}) satisfies z.ZodType<AuditSearch>;

type SearchParamsLike = URLSearchParams | Record<string, string | string[] | undefined>;

export function parseAuditSearch(params: SearchParamsLike): AuditSearch {
  const record: Record<string, string | undefined> = {};
  for (const key of AUDIT_SEARCH_KEYS) {
    const value = params instanceof URLSearchParams ? params.get(key) : params[key];
    record[key] = Array.isArray(value) ? value[0] : (value ?? undefined);
  }
  return auditSearchSchema.parse(record);
}

/** The store's filters (lib/audit `AuditFilters`): `to` becomes the exclusive start of the next day. */
export function storeFilters(search: AuditSearch): {
  connectionId?: string;
  actor?: string;
  outcome?: OutcomeFilter;
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
