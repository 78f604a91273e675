import 'server-only';
import { processWide } from '@/lib/async/process-wide';
import { auditStore } from '@/lib/audit';
import { accessDeniedEvent } from '@/lib/audit/events';
import { config } from '@/lib/config';
import { ANONYMOUS_REFUSAL_LOG_INTERVAL_MS, createRefusalLog } from './anonymous-refusals';
import { createAuthorize, type RequestInfo, requestInfoFrom } from './authorize-core';
import { currentUser } from './session';

// One count per process, however many route bundles include this module.
const anonymousRefusals = processWide('anonymous-refusal-log', () =>
  createRefusalLog({ intervalMs: ANONYMOUS_REFUSAL_LOG_INTERVAL_MS, write: (line) => console.warn(line) }),
);

/**
 * Session → role → permission: a signed-in user's refusal is audited, a request without a session counted into a
 * rate-limited log line. Used by `authorizedAction` and by route handlers alike.
 */
export const authorize = createAuthorize({
  currentUser,
  recordDenied: async (attempt) => {
    await (await auditStore()).append(accessDeniedEvent(attempt));
  },
  refusedWithoutSession: ({ action, ip }) => anonymousRefusals.note({ action, ip }),
  logError: (message, details) => console.error(`[keyshift] ${message}`, JSON.stringify(details)),
});

/** Who is asking, from where: the client address behind the configured TRUSTED_PROXY_HOPS, and the user agent. */
export function requestInfo(headers: Pick<Headers, 'get'>): RequestInfo {
  return requestInfoFrom(headers, config().trustedProxyHops);
}
