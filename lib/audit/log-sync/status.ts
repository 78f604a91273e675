import 'server-only';
import { Auth0Error } from '@/lib/auth0/errors';

/** How the last read of the tenant's logs (rotations made outside Keyshift) went: what the audit page shows. */
export type LogSyncStatus =
  | { state: 'never' }
  | { state: 'ok'; checkedAt: string; ingested: number; behind: boolean }
  | { state: 'missing_scope'; checkedAt: string; message: string }
  | { state: 'failed'; checkedAt: string; message: string };

/** After Auth0 refuses `read:logs`: it will not be granted in seconds, so ask again only this much later. */
export const MISSING_SCOPE_RETRY_MS = 5 * 60_000;
export const FAILURE_RETRY_MS = 30_000;

/**
 * What a failed sync tells the page, and when to try again. A missing `read:logs` is a notice that says what to grant
 * (not an error: everything else works); a rate limit waits for Auth0's reset; anything else retries shortly.
 */
export function syncFailure(error: unknown, now: Date): { status: LogSyncStatus; retryAt: Date } {
  const checkedAt = now.toISOString();
  const later = (ms: number) => new Date(now.getTime() + ms);
  if (!(error instanceof Auth0Error)) {
    return {
      status: { state: 'failed', checkedAt, message: 'Keyshift could not read the tenant logs.' },
      retryAt: later(FAILURE_RETRY_MS),
    };
  }
  const missingScope =
    error.code === 'auth0:forbidden' &&
    ((error.details.missingScopes ?? []).includes('read:logs') || error.details.errorCode === 'insufficient_scope');
  if (missingScope) {
    return {
      status: {
        state: 'missing_scope',
        checkedAt,
        message:
          'Rotations made outside Keyshift are not shown: the machine-to-machine app lacks the read:logs scope. Grant it in Auth0 (Applications → APIs → Auth0 Management API).',
      },
      retryAt: later(MISSING_SCOPE_RETRY_MS),
    };
  }
  return {
    status: { state: 'failed', checkedAt, message: `Keyshift could not read the tenant logs. ${error.message}` },
    retryAt: error.details.retryAt ?? later(FAILURE_RETRY_MS),
  };
}
