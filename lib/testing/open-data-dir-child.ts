// Test support for data-dir-lock.test.ts: a second process opening a PGlite data directory. It loads everything,
// says "ready", waits for "go" on stdin (the test's barrier, sent to every child at once), opens the directory,
// reports {"won":true} or {"won":false,"message":…} on stdout, and holds what it opened until stdin closes.
import { createInterface } from 'node:readline';
import { openAuditDatabase } from '../audit/database';

const dataDir = process.argv[2] as string;
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
process.stdout.write('ready\n');
await lines.next();
let close = async () => {};
try {
  const database = await openAuditDatabase({ dataDir });
  close = () => database.close();
  process.stdout.write(`${JSON.stringify({ won: true })}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ won: false, message: (error as Error).message })}\n`);
}
while (!(await lines.next()).done) {}
await close();
process.exit(0);
