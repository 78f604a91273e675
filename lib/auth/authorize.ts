import 'server-only';
import { auditStore } from '@/lib/audit';
import { accessDeniedEvent } from '@/lib/audit/events';
import { createAuthorize } from './authorize-core';
import { currentUser } from './session';

/** Session → role → permission, refusals recorded: used by `authorizedAction` and by route handlers alike. */
export const authorize = createAuthorize({
  currentUser,
  recordDenied: async (attempt) => {
    await (await auditStore()).append(accessDeniedEvent(attempt));
  },
  logError: (message, details) => console.error(`[keyshift] ${message}`, JSON.stringify(details)),
});
