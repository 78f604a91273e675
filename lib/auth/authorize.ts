import 'server-only';
import { auditStore } from '@/lib/audit';
import { accessDeniedEvent } from '@/lib/audit/events';
import { config } from '@/lib/config';
import { createAuthorize, type RequestInfo, requestInfoFrom } from './authorize-core';
import { currentUser } from './session';

/** Session → role → permission, refusals recorded: used by `authorizedAction` and by route handlers alike. */
export const authorize = createAuthorize({
  currentUser,
  recordDenied: async (attempt) => {
    await (await auditStore()).append(accessDeniedEvent(attempt));
  },
  logError: (message, details) => console.error(`[keyshift] ${message}`, JSON.stringify(details)),
});

/** Who is asking, from where: the client address behind the configured TRUSTED_PROXY_HOPS, and the user agent. */
export function requestInfo(headers: Pick<Headers, 'get'>): RequestInfo {
  return requestInfoFrom(headers, config().trustedProxyHops);
}
