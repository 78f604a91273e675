import 'server-only';
import { can, type Permission } from './roles';
import type { CurrentUser } from './session-types';

export interface RequestInfo {
  ip: string | null;
  userAgent: string | null;
}

export type DenialReason = 'unauthenticated' | 'forbidden';

/** What is being tried, and from where: a refusal is recorded with it. */
export interface Attempt extends RequestInfo {
  action: string;
  requestId: string;
}

/** A signed-in user refused a permission: audited. */
export interface DeniedAttempt extends Attempt {
  permission: Permission;
  user: CurrentUser;
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

/** Behind a load balancer the client is the first hop of x-forwarded-for. */
export function requestInfoFrom(headers: Pick<Headers, 'get'>): RequestInfo {
  const forwarded = headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return { ip: forwarded || headers.get('x-real-ip') || null, userAgent: headers.get('user-agent') };
}

/**
 * The one check before anything runs on an operator's behalf (every action, the audit export): a session, then a
 * role that grants `permission`. A signed-in user's refusal is recorded in the audit trail, a request without a
 * session only counted for the log; each caller words the refusal for its own surface.
 */
export function createAuthorize(deps: AuthorizeDependencies): Authorize {
  return async (permission, attempt) => {
    const user = await deps.currentUser();
    if (!user) {
      deps.refusedWithoutSession({ ...attempt, permission });
      return { ok: false, reason: 'unauthenticated' };
    }
    if (can(user.role, permission)) return { ok: true, user };
    const reason = 'forbidden';
    await deps.recordDenied({ ...attempt, permission, user, reason }).catch((error: unknown) =>
      deps.logError('could not record a denied attempt', {
        action: attempt.action,
        requestId: attempt.requestId,
        error: String(error),
      }),
    );
    return { ok: false, reason };
  };
}
