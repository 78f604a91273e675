import 'server-only';
import { auditStore, ConnectionLockedError } from '@/lib/audit';
import { listConnectionKeys } from '@/lib/auth0/connections';
import { ConfigError, config } from '@/lib/config';
import { settleDanglingRotations } from '@/lib/rotation/settle-dangling';

/**
 * Any age: a rotation holds its connection's lock from before "requested" until after the outcome, and a dead
 * process's lock is gone with it (PostgreSQL session, or this process's memory), so a free lock means no one is on it.
 */
const DANGLING_AFTER_MS = 0;

async function settleDangling(): Promise<void> {
  const store = await auditStore();
  const settled = await settleDanglingRotations({
    // The call itself may take the timeout, and a request Auth0 still works on is done as long again after that.
    graceMs: 2 * config().auth0.timeoutSeconds * 1000,
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    danglingRequests: () => store.danglingRequests(DANGLING_AFTER_MS),
    listKeys: listConnectionKeys,
    appendAudit: async (entry) => {
      await store.append(entry);
    },
    ifUnlocked: async (connectionId, run) => {
      try {
        await store.withConnectionLock(connectionId, { sub: 'keyshift', name: 'Keyshift (settling)' }, run);
      } catch (error) {
        if (!(error instanceof ConnectionLockedError)) throw error;
      }
    },
  });
  if (settled > 0)
    console.log(`[keyshift] settled ${settled} rotation(s) left without an outcome by an earlier process`);
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
  // In the background: the server serves while Auth0 is read; a failure here only means "try at the next start".
  void settleDangling().catch((error: unknown) =>
    console.error('[keyshift] could not settle dangling rotations', String(error)),
  );
}
