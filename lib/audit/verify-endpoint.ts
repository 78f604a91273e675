import 'server-only';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { VerifyResult } from './types';

/**
 * `npm run audit:verify` while the dashboard runs on PGlite. PGlite is one process's database (data-dir-lock.ts): a
 * second process must not open the directory, so the script asks the process that holds it.
 *
 * Why this is sound:
 * - Same machine only: the server listens on 127.0.0.1 alone, on a port the system picks, for this and nothing else
 *   (not on the dashboard's port, which faces the network); a request from any other address is refused too.
 * - Same user only: every request carries a random 256-bit token, created at start and written with the port into
 *   `keyshift-verify.json` in the data directory, mode 0600 (created so, before it is renamed into place). Whoever
 *   can read that file can read the database files beside it anyway, so the endpoint grants no one anything new.
 *   A web page cannot read the file, so a browser tricked into calling 127.0.0.1 has no token (DNS rebinding
 *   included). The token is compared in constant time and never logged.
 * - It does one thing: runs the store's own `verify()` (one at a time; a second caller shares the running one) and
 *   answers its result, which holds ids, hashes and reasons, no event content.
 */
export const ENDPOINT_FILE = 'keyshift-verify.json';

interface EndpointFile {
  port: number;
  token: string;
  pid: number;
}

export interface VerifyEndpoint {
  port: number;
  close(): Promise<void>;
}

export async function startVerifyEndpoint(
  dataDir: string,
  verify: () => Promise<VerifyResult>,
): Promise<VerifyEndpoint> {
  const token = randomBytes(32).toString('hex');
  const expected = Buffer.from(`Bearer ${token}`);
  let running: Promise<VerifyResult> | null = null;
  const server = createServer((req, res) => {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const given = Buffer.from(req.headers.authorization ?? '');
    const loopback = ['127.0.0.1', '::ffff:127.0.0.1'].includes(req.socket.remoteAddress ?? '');
    if (!loopback || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return answer(401, { error: 'unauthorized' });
    }
    if (req.method !== 'POST' || req.url !== '/verify') return answer(404, { error: 'not_found' });
    running ??= verify().finally(() => {
      running = null;
    });
    running.then(
      (result) => answer(200, result),
      (error: unknown) => answer(500, { error: 'verify_failed', message: String(error) }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
    // The dashboard is what keeps the process alive; this endpoint never holds a stopping process up.
    server.unref();
  });
  const { port } = server.address() as AddressInfo;
  const file = path.join(dataDir, ENDPOINT_FILE);
  const draft = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
  const content: EndpointFile = { port, token, pid: process.pid };
  await writeFile(draft, JSON.stringify(content), { flag: 'wx', mode: 0o600 });
  await chmod(draft, 0o600); // whatever the umask
  await rename(draft, file);
  return {
    port,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if ((await readFile(file, 'utf8').catch(() => null)) === JSON.stringify(content))
        await unlink(file).catch(() => {});
    },
  };
}

/** Asks the server holding `dataDir` to verify its chain (see above). Throws a sentence when it cannot. */
export async function verifyThroughServer(dataDir: string): Promise<VerifyResult> {
  const file = path.join(dataDir, ENDPOINT_FILE);
  const info = await stat(file).catch(() => null);
  if (!info) {
    throw new Error(
      `The audit database in ${dataDir} is open in another process that offers no verification (${ENDPOINT_FILE} is missing): stop it, or upgrade it.`,
    );
  }
  if ((info.mode & 0o077) !== 0) {
    throw new Error(
      `${file} is readable by other users; refusing to use its token. Restart the server to recreate it.`,
    );
  }
  const { port, token } = JSON.parse(await readFile(file, 'utf8')) as EndpointFile;
  const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/verify', headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', (error) =>
      reject(new Error(`The server holding ${dataDir} did not answer on 127.0.0.1:${port} (${error.message}).`)),
    );
    req.end();
  });
  if (status !== 200) throw new Error(`The server holding ${dataDir} refused to verify (HTTP ${status}): ${body}`);
  return JSON.parse(body) as VerifyResult;
}
