import 'server-only';
import { runPeriodically } from '@/lib/async/periodic';
import { processWide } from '@/lib/async/process-wide';
import { auditStore } from '@/lib/audit';
import { listConnectionKeys } from '@/lib/auth0/connections';
import { ConfigError, config } from '@/lib/config';
import { settleDanglingRotations } from '@/lib/rotation/settle-dangling';
import { storeDanglingDependencies } from '@/lib/rotation/settle-dangling-store';

async function settleDangling(): Promise<void> {
  const settled = await settleDanglingRotations(
    storeDanglingDependencies(await auditStore(), {
      // The call itself may take the timeout, and a request Auth0 still works on is done as long again after that.
      graceMs: 2 * config().auth0.timeoutSeconds * 1000,
      now: () => Date.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      listKeys: listConnectionKeys,
    }),
  );
  if (settled > 0) console.log(`[keyshift] settled ${settled} rotation(s) left without an outcome`);
}

/** A misconfigured deployment stops here, naming everything that is missing, instead of failing on first use. */
export async function startServer(): Promise<void> {
  try {
    const { nextAuth } = config();
    // next-auth reads its own variables; demo mode supplies them when the environment does not.
    process.env.NEXTAUTH_URL ??= nextAuth.url;
    process.env.NEXTAUTH_SECRET ??= nextAuth.secret;
    // Opening the audit store applies its migrations: a database that cannot be reached stops the start here.
    await auditStore();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  // In the background, at start and then periodically (an outcome that could not be written by a live process is
  // settled too, not only a dead process's): the server serves while Auth0 is read; a failure means "next time".
  processWide('dangling-settler', () =>
    runPeriodically(settleDangling, {
      everyMs: config().settleIntervalSeconds * 1000,
      onError: (error) => console.error('[keyshift] could not settle dangling rotations', String(error)),
    }),
  );
}
