// Verifies the audit chain, recomputing every hash and link (lib/audit/verify.ts):
//   npm run audit:verify                        the configured store (DATABASE_URL, else PGlite under
//                                               KEYSHIFT_DATA_DIR or ./data), even while the dashboard runs on it
//   npm run audit:verify -- --file export.json [--checkpoint '<line>' | --checkpoint checkpoint.log]
//                                               an unfiltered JSON export, offline; with a checkpoint the server
//                                               logged, also that the export reaches that head unchanged
// Prints "Audit chain OK: N events" and exits 0, or names the first broken event (or why it refuses) and exits 1
// (2 if it cannot run).
//
// PGlite serves one process (lib/audit/data-dir-lock.ts): when the dashboard holds the directory, the script asks it
// to verify through a loopback endpoint authenticated by a token file only this user can read
// (lib/audit/verify-endpoint.ts says why that is sound), instead of opening the files a second time.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { resolveServerOnlyAsServer } from './server-only-condition';

resolveServerOnlyAsServer();

const { auditStoreOptions, openAuditStore } = await import('../lib/audit/index');
const { DataDirBusyError } = await import('../lib/audit/data-dir-lock');
const { verifyThroughServer } = await import('../lib/audit/verify-endpoint');
const { verifyExport } = await import('../lib/audit/verify-export');
const { parseCheckpoint } = await import('../lib/audit/checkpoint');
// Only the database settings: this script needs none of the Auth0 and sign-in settings the app insists on.
const { databaseConfig } = await import('../lib/config');
type VerifyResult = import('../lib/audit/types').VerifyResult;

function report(result: VerifyResult): number {
  if (result.ok) {
    const head = result.head ? ` (head #${result.head.id} ${result.head.hash})` : '';
    console.log(`Audit chain OK: ${result.checked} events${head}`);
    return 0;
  }
  console.error(`Audit chain BROKEN at event #${result.firstBroken?.id}: ${result.firstBroken?.reason}`);
  console.error(`(${result.checked - 1} events before it verified)`);
  return 1;
}

async function verifyStore(): Promise<number> {
  const options = auditStoreOptions(databaseConfig());
  const where = options.databaseUrl ? 'the PostgreSQL database in DATABASE_URL' : `PGlite in ${options.dataDir}`;
  try {
    const store = await openAuditStore(options);
    try {
      return report(await store.verify());
    } finally {
      await store.close();
    }
  } catch (error) {
    if (error instanceof DataDirBusyError && options.dataDir) {
      console.log(`${where} is open in process ${error.holder.pid}: asking it to verify.`);
      return report(await verifyThroughServer(options.dataDir));
    }
    throw new Error(`Could not verify the audit chain in ${where}: ${(error as Error).message}`);
  }
}

async function checkpointFrom(value: string) {
  const text = value.trim().startsWith('{') ? value : await readFile(value, 'utf8');
  // A log file: the last checkpoint line in it.
  const lines = text.split('\n').filter((line) => line.includes('audit-checkpoint'));
  const checkpoint = parseCheckpoint(lines.at(-1) ?? text);
  if (!checkpoint) throw new Error(`No audit checkpoint line in ${value.slice(0, 80)}`);
  return checkpoint;
}

async function verifyFile(file: string, checkpointArg: string | undefined): Promise<number> {
  const checkpoint = checkpointArg ? await checkpointFrom(checkpointArg) : null;
  const verdict = verifyExport(await readFile(file, 'utf8'), checkpoint);
  if (!verdict.ok) {
    console.error(verdict.refused);
    return 1;
  }
  const code = report(verdict.result);
  if (checkpoint) console.log(`It reaches checkpoint #${checkpoint.id} (logged ${checkpoint.at}) unchanged.`);
  return code;
}

let exitCode = 2;
try {
  const { values } = parseArgs({ options: { file: { type: 'string' }, checkpoint: { type: 'string' } } });
  if (values.checkpoint && !values.file) throw new Error('--checkpoint goes with --file <export.json>.');
  exitCode = values.file ? await verifyFile(values.file, values.checkpoint) : await verifyStore();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
}
process.exit(exitCode);
