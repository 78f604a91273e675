import 'server-only';
import { isIP } from 'node:net';
import { can, type Permission, type Role, roleIn } from './roles';
import type { CurrentUser } from './session-types';

export interface RequestInfo {
  ip: string | null;
  userAgent: string | null;
}

export type DenialReason = 'unauthenticated' | 'forbidden';

/** What is being tried, on which tenant (its slug), and from where: a refusal is recorded with it. */
export interface Attempt extends RequestInfo {
  action: string;
  requestId: string;
  tenant: string;
}

/** A signed-in user refused a permission: audited. */
export interface DeniedAttempt extends Attempt {
  permission: Permission;
  user: CurrentUser;
  /** The user's role in the attempt's tenant. */
  role: Role | null;
  reason: 'forbidden';
}

/** A request without a session: refused, logged, not audited. */
export interface AnonymousAttempt extends Attempt {
  permission: Permission;
}

export type Authorization = { ok: true; user: CurrentUser } | { ok: false; reason: DenialReason };

export type Authorize = (permission: Permission, attempt: Attempt) => Promise<Authorization>;

export interface AuthorizeDependencies {
  currentUser(): Promise<CurrentUser | null>;
  /** Audits a signed-in user's refused attempt; a failure to record must not turn a refusal into a crash. */
  recordDenied(attempt: DeniedAttempt): Promise<void>;
  /**
   * Counts a request without a session for the (rate-limited) log. It is not audited: anyone who can reach the app
   * can send such requests, and appending each would let them grow the trail and hold the chain lock rotations need.
   */
  refusedWithoutSession(attempt: AnonymousAttempt): void;
  logError(message: string, details: Record<string, unknown>): void;
}

/**
 * The client as the audit records it. Each proxy appends to X-Forwarded-For the address it was connected from, so
 * only the last `trustedProxyHops` entries were written by proxies Keyshift trusts, and the client's address is the
 * first of those: the Nth from the right (anything further left is whatever the client sent). With no trusted proxy
 * the whole header may come from the client (`next start` fills it from the socket only when the request has none,
 * so the two cannot be told apart), and no address is recorded rather than a made-up one. X-Real-IP is not read: a
 * proxy that does not set it passes the client's own on. An entry that is not an IP address is recorded as unknown.
 */
export function requestInfoFrom(headers: Pick<Headers, 'get'>, trustedProxyHops: number): RequestInfo {
  const userAgent = headers.get('user-agent');
  if (trustedProxyHops < 1) return { ip: null, userAgent };
  const entry = headers.get('x-forwarded-for')?.split(',').at(-trustedProxyHops)?.trim() ?? '';
  return { ip: isIP(entry) ? entry : null, userAgent };
}

/**
 * The one check before anything runs on an operator's behalf (every action, the audit export): a session, then a
 * role in the attempt's tenant that grants `permission`. A signed-in user's refusal is recorded in the audit trail, a request without a
 * session only counted for the log; each caller words the refusal for its own surface.
 */
export function createAuthorize(deps: AuthorizeDependencies): Authorize {
  return async (permission, attempt) => {
    const user = await deps.currentUser();
    if (!user) {
      deps.refusedWithoutSession({ ...attempt, permission });
      return { ok: false, reason: 'unauthenticated' };
    }
    const role = roleIn(user.roles, attempt.tenant);
    if (can(role, permission)) return { ok: true, user };
    const reason = 'forbidden';
    await deps.recordDenied({ ...attempt, permission, user, role, reason }).catch((error: unknown) =>
      deps.logError('could not record a denied attempt', {
        action: attempt.action,
        requestId: attempt.requestId,
        error: String(error),
      }),
    );
    return { ok: false, reason };
  };
}
