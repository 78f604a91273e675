import type { OutcomeFilter } from '@/lib/audit/outcomes';

/**
 * The audit page's filters as they travel in its URL (`/audit?connection=…&actor=…&outcome=…&from=…&to=…`), and the
 * links to it. No zod here: pages that only link to the audit (a connection's recent rotations) import this in the
 * browser. Parsing a URL into a search is filters.ts's job.
 */
export const AUDIT_SEARCH_KEYS = ['connection', 'actor', 'outcome', 'from', 'to'] as const;
export type AuditSearchKey = (typeof AUDIT_SEARCH_KEYS)[number];

/** A parsed search: trimmed, non-empty values only; dates are whole UTC days (`YYYY-MM-DD`), both ends included. */
export interface AuditSearch {
  connection?: string;
  actor?: string;
  outcome?: OutcomeFilter;
  from?: string;
  to?: string;
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

export const OUTCOME_LABELS: Record<OutcomeFilter, string> = {
  requested: 'Made in Keyshift (any outcome)',
  succeeded: 'Succeeded',
  failed: 'Failed',
  unknown: 'Unknown',
  in_progress: 'In progress',
  external: 'External',
};
