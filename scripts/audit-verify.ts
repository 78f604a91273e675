// Verifies the audit chain of the configured store (DATABASE_URL, else PGlite under KEYSHIFT_DATA_DIR or ./data):
//   node --import tsx scripts/audit-verify.ts
// Prints "Audit chain OK: N events" and exits 0, or names the first broken event and exits 1 (2 if it cannot run).
import { resolveServerOnlyAsServer } from './server-only-condition';

resolveServerOnlyAsServer();

const { auditStoreOptions, openAuditStore } = await import('../lib/audit/index');
// Only the database settings: this script needs none of the Auth0 and sign-in settings the app insists on.
const { databaseConfig } = await import('../lib/config');

let exitCode = 2;
let where = 'the configured audit database';
try {
  const options = auditStoreOptions(databaseConfig());
  where = options.databaseUrl ? 'the PostgreSQL database in DATABASE_URL' : `PGlite in ${options.dataDir}`;
  const store = await openAuditStore(options);
  try {
    const result = await store.verify();
    if (result.ok) {
      const head = result.head ? ` (head #${result.head.id} ${result.head.hash})` : '';
      console.log(`Audit chain OK: ${result.checked} events${head}`);
      exitCode = 0;
    } else {
      console.error(`Audit chain BROKEN at event #${result.firstBroken?.id}: ${result.firstBroken?.reason}`);
      console.error(`(${result.checked - 1} events before it verified)`);
      exitCode = 1;
    }
  } finally {
    await store.close();
  }
} catch (error) {
  console.error(`Could not verify the audit chain in ${where}:`, error instanceof Error ? error.message : error);
}
process.exit(exitCode);
