import 'server-only';
import { processWide } from '@/lib/async/process-wide';
import { auditStore } from '@/lib/audit';
import { Auth0Error } from '@/lib/auth0/errors';
import { readSignInPage } from '@/lib/auth0/logs';
import { config } from '@/lib/config';
import { currentTenant, inTenant } from '@/lib/tenants/scope';
import { createSignInWatcher, type SignInWatcher } from './watch';

/** How often a browser asks for the watch while its window is open. */
export const WATCH_POLL_MS = 5_000;
/** A little under the polling interval, so that every poll of an open window gets a fresh read. */
export const WATCH_READ_INTERVAL_MS = 4_000;
/** How often the closer looks for windows that closed without a summary. */
export const WATCH_CLOSE_EVERY_MS = 60_000;
/** Windows closed longer ago than this (the app was down, say) are left without a summary. */
export const WATCH_LOOKBACK_MS = 24 * 3600_000;

function describeError(error: unknown): string {
  if (error instanceof Auth0Error) {
    if (error.code === 'auth0:forbidden') return 'the machine-to-machine app lacks the read:logs scope';
    return error.message;
  }
  console.error('[keyshift] reading sign-in logs failed', String(error));
  return 'Keyshift could not read the tenant logs';
}

/**
 * The process's watcher of the tenant in scope: one read of a connection's logs per interval, however many pages
 * poll. Its reads run in its tenant's scope whoever triggers them.
 */
export function signInWatcher(): SignInWatcher {
  const tenant = currentTenant();
  return processWide(`sign-in-watch:${tenant.slug}`, () =>
    createSignInWatcher({
      store: auditStore,
      tenant: tenant.domain,
      readSignInPage: (connectionId, page) => inTenant(tenant, () => readSignInPage(connectionId, page)),
      now: Date.now,
      windowMs: config().watchMinutes * 60_000,
      pollMs: WATCH_POLL_MS,
      readIntervalMs: WATCH_READ_INTERVAL_MS,
      maxPages: 5,
      // Auth0 pages through the first 1,000 results of a log search only (10 pages of 100); past that the counts
      // are a floor, and say so.
      closeMaxPages: 10,
      lookbackMs: WATCH_LOOKBACK_MS,
      waitMs: 3_000,
      describeError,
    }),
  );
}
