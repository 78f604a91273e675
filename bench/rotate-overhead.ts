/**
 * What Keyshift adds to Auth0's own latency on a rotation. The same ES256 rotations of one connection, interleaved:
 *   A. through the app, as a browser does it: the `rotateKeysAction` server action over HTTP (session, role, zod,
 *      lock, audit "requested", rotate, audit outcome, certificate facts);
 *   B. the `auth0` SDK calling the emulator's rotate directly (maxRetries 0, as the app calls it);
 *   C. the SDK making every Auth0 call the action makes (the connection and its keys side by side, then rotate), so
 *      A − C is Keyshift's own work and C − B the extra Auth0 round trip it chooses to make;
 *   D. the floor of any Keyshift action here: `listConnectionsAction` answered from the cache, no Auth0 call;
 *   E. the floor of Next.js itself: the smallest server action there is (it answers with its argument as JSON text) in a bare Next.js
 *      app with the same Next and React, built and started in this run;
 * then, in this process, the pieces of A − C: one audit append (PGlite), one connection lock, one certificate parse.
 * Needs a build (`npm run build`). Run: `npx tsx bench/rotate-overhead.ts [rounds]`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagementClient } from 'auth0';
import { Stack } from '../e2e/stack';
import { SEED_CLIENTS, SEED_CONNECTIONS } from '../emulator/seed';
import { TENANT_DOMAIN } from '../emulator/tenant';
import { originRewritingFetch } from '../lib/auth0/origin-fetch';
import { resolveServerOnlyAsServer } from '../scripts/server-only-condition';
import { startBareNext } from './support/bare-next';
import { cookieHeader, launchChromium, signedInContext } from './support/browser';
import { median, quantile } from './support/stats';

const ROUNDS = Number(process.argv[2] ?? 200);
const WARMUP = 5;
const ALG = 'ES256';
const target = SEED_CONNECTIONS.oktaInitech;

function actionId(name: string): string {
  const distDir = process.env.NEXT_DIST_DIR ?? '.next';
  const manifest = JSON.parse(readFileSync(`${distDir}/server/server-reference-manifest.json`, 'utf8')) as {
    node: Record<string, { exportedName?: string }>;
  };
  const found = Object.entries(manifest.node).find(([, entry]) => entry.exportedName === name);
  if (!found) throw new Error(`${name} is not in the build: run \`npm run build\` first`);
  return found[0];
}

function postAction(
  url: string,
  origin: string,
  cookie: string,
  id: string,
  argsOf: unknown[] | (() => unknown[]),
  expect = '"ok":true',
) {
  return async () => {
    const args = typeof argsOf === 'function' ? argsOf() : argsOf;
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'next-action': id,
        'content-type': 'text/plain;charset=UTF-8',
        accept: 'text/x-component',
        origin,
        cookie,
      },
      body: JSON.stringify(args),
    });
    const text = await response.text();
    if (!text.includes(expect)) throw new Error(`the action failed: ${text.slice(0, 300)}`);
  };
}

/** lib/audit and lib/certs are 'server-only': resolve that marker as the server bundle does. */
async function inProcessPieces(rounds: number, cert: string): Promise<Record<string, number>> {
  resolveServerOnlyAsServer();
  const { openAuditStore } = await import('../lib/audit/store');
  const { rotationRequestedEvent } = await import('../lib/audit/events');
  const { parseCertificate } = await import('../lib/certs/parse-certificate');
  const dir = mkdtempSync(join(tmpdir(), 'keyshift-bench-audit-'));
  const store = await openAuditStore({ dataDir: join(dir, 'audit') });
  const holder = { sub: 'bench', email: 'bench@example.com', name: 'Bench' };
  const pieces: Record<string, () => Promise<unknown>> = {
    'one audit append': () =>
      store.append(
        rotationRequestedEvent(
          {
            tenant: TENANT_DOMAIN,
            requestId: crypto.randomUUID(),
            user: holder,
            connectionId: target.id,
            connectionName: target.name,
            algorithm: ALG,
            clientIp: null,
            userAgent: null,
          },
          null,
        ),
      ),
    'one connection lock (PGlite: in memory)': () => store.withConnectionLock(target.id, holder, async () => {}),
    'one certificate parse': () => parseCertificate(cert),
  };
  const results: Record<string, number> = {};
  try {
    for (const [name, run] of Object.entries(pieces)) {
      const times: number[] = [];
      for (let i = 0; i < rounds + WARMUP; i++) {
        const started = performance.now();
        await run();
        if (i >= WARMUP) times.push(performance.now() - started);
      }
      results[name] = median(times);
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

const stack = await Stack.start({ ports: { app: 3210, emulator: 4210 }, connections: 0, rateLimit: '100000:100000' });
const bare = await startBareNext(3211);
try {
  const browser = await launchChromium();
  const context = await signedInContext(browser, stack.appUrl, 'alice@example.com', `/connections/${target.id}`);
  const cookie = cookieHeader(await context.cookies());
  await browser.close();

  // A rotation names the keys its page showed; B and C rotate too, so A reads them (untimed) right before each call.
  let shown = { expectedCurrentKid: '', expectedNextKid: '' };
  const viaApp = postAction(
    `${stack.appUrl}/connections/${target.id}`,
    stack.appUrl,
    cookie,
    actionId('rotateKeysAction'),
    () => [{ connectionId: target.id, signingAlg: ALG, confirmName: target.name, ...shown }],
  );
  const floor = postAction(`${stack.appUrl}/`, stack.appUrl, cookie, actionId('listConnectionsAction'), [{}]);
  const bareOrigin = new URL(bare.url).origin;
  const nextFloor = postAction(`${bare.url}action`, bareOrigin, '', bare.echoActionId, [{ ok: true }]);

  const sdk = new ManagementClient({
    domain: TENANT_DOMAIN,
    clientId: SEED_CLIENTS.m2m.client_id,
    clientSecret: SEED_CLIENTS.m2m.client_secret,
    fetch: originRewritingFetch(TENANT_DOMAIN, stack.emulatorUrl),
  });
  const sdkRotate = async () => {
    await sdk.connections.keys.rotate(target.id, { signing_alg: ALG }, { maxRetries: 0 });
  };
  const sdkSameCalls = async () => {
    await Promise.all([sdk.connections.get(target.id), sdk.connections.keys.get(target.id)]);
    await sdk.connections.keys.rotate(target.id, { signing_alg: ALG }, { maxRetries: 0 });
  };

  const paths = {
    'A app server action': viaApp,
    'B SDK rotate only': sdkRotate,
    'C SDK, same calls as A': sdkSameCalls,
    'D action floor, no Auth0': floor,
    'E bare Next.js action': nextFloor,
  };
  type Path = keyof typeof paths;
  const prepare: Partial<Record<Path, () => Promise<void>>> = {
    'A app server action': async () => {
      const keys = await sdk.connections.keys.get(target.id);
      shown = {
        expectedCurrentKid: keys.find((key) => key.current)?.kid ?? '',
        expectedNextKid: keys.find((key) => key.next)?.kid ?? '',
      };
    },
  };
  const samples: Record<Path, number[]> = {
    'A app server action': [],
    'B SDK rotate only': [],
    'C SDK, same calls as A': [],
    'D action floor, no Auth0': [],
    'E bare Next.js action': [],
  };
  const names = Object.keys(paths) as Path[];
  for (let i = 0; i < WARMUP; i++) {
    for (const name of names) {
      await prepare[name]?.();
      await paths[name]();
    }
  }
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order every round, so that neither path always runs right after the other.
    const order = names.map((_, k) => names[(k + round) % names.length] as Path);
    for (const name of order) {
      await prepare[name]?.();
      const started = performance.now();
      await paths[name]();
      samples[name].push(performance.now() - started);
    }
  }

  const m = (name: Path) => median(samples[name]);
  console.log(
    `rotate ${ALG} on ${target.name}: ${ROUNDS} rounds per path, interleaved, after ${WARMUP} warm-up rounds`,
  );
  console.log('path                        median ms   p95 ms');
  for (const name of names) {
    console.log(
      `${name.padEnd(26)} ${m(name).toFixed(2).padStart(9)}   ${quantile(samples[name], 0.95).toFixed(2).padStart(6)}`,
    );
  }
  const a = m('A app server action');
  const b = m('B SDK rotate only');
  const c = m('C SDK, same calls as A');
  const e = m('E bare Next.js action');
  console.log(
    `added by Keyshift, A − B: ${(a - b).toFixed(2)} ms at the median (${(a / b).toFixed(2)}x the SDK alone)`,
  );
  console.log(`  of which the extra Auth0 round trip, C − B: ${(c - b).toFixed(2)} ms`);
  console.log(`  of which Next.js's own server action floor, E: ${e.toFixed(2)} ms`);
  console.log(
    `  of which Keyshift's own work (session, audit, lock, certificate facts), A − C − E: ${(a - c - e).toFixed(2)} ms`,
  );
  console.log(
    `  Keyshift's floor for any action (Next.js, proxy-free POST, session, wrapper), D: ${m('D action floor, no Auth0').toFixed(2)} ms`,
  );
  const cert = (await sdk.connections.keys.get(target.id)).find((key) => key.current)?.cert ?? '';
  console.log('pieces of A − C, measured in this process (median ms; the action does 2 appends, 1 lock, 1 parse):');
  for (const [name, ms] of Object.entries(await inProcessPieces(ROUNDS, cert))) {
    console.log(`  ${name.padEnd(28)} ${ms.toFixed(2).padStart(7)}`);
  }
} finally {
  await Promise.all([stack.stop(), bare.stop()]);
}
