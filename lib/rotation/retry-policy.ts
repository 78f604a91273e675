import { Auth0Error } from '@/lib/auth0/errors';

/** The longest Keyshift waits, holding the lock, for Auth0's rate limit to reset before retrying a rotate. */
export const RATE_LIMIT_RETRY_MAX_MS = 10_000;

/**
 * How long to wait before calling rotate again after a 429 (Auth0 did nothing), or null when it must not be called
 * again: not a 429, no reset time given, or a reset too far away to hold the operator and the lock for.
 */
export function rateLimitWait(error: unknown, now: number): number | null {
  if (!(error instanceof Auth0Error) || error.code !== 'auth0:rate_limited') return null;
  const retryAt = error.details.retryAt?.getTime();
  if (retryAt === undefined || Number.isNaN(retryAt)) return null;
  const wait = Math.max(0, retryAt - now);
  return wait <= RATE_LIMIT_RETRY_MAX_MS ? wait : null;
}

/**
 * After these failures Auth0 may still be carrying the rotation out when Keyshift first reads the keys back: the
 * client gave up (timeout), the connection broke mid-request, or a gateway gave up on the origin (502, 504).
 * A plain 500 or 503 is an answer from Auth0 itself, after which a read-back is conclusive at once.
 */
export function mayStillBeRunning(error: Auth0Error): boolean {
  return (
    error.code === 'auth0:timeout' ||
    error.code === 'auth0:unreachable' ||
    error.details.status === 502 ||
    error.details.status === 504
  );
}
