// Client components import this: it must stay free of server-only imports (search.ts is client-safe too).
import type { AuditSearch } from './search';

/** TanStack Query keys of the audit trail; invalidating `auditQueryKeys.all` refreshes every audit list on screen. */
export const auditQueryKeys = {
  all: ['audit'] as const,
  rotations: (search: AuditSearch) => ['audit', 'rotations', search] as const,
  recent: (connectionId: string) => ['audit', 'recent', connectionId] as const,
  detail: (id: number) => ['audit', 'rotation', id] as const,
};

/** How often an open audit list or drawer asks again. */
export const AUDIT_REFRESH_MS = 5_000;

/** How many rotations the connection page lists. */
export const RECENT_ROTATIONS = 5;
