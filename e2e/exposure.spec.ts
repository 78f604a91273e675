import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import fc from 'fast-check';
import { shownKids } from './kids';
import { SEED } from './seed';
import { actionResult, callServerAction, serverActions } from './server-actions';
import { noteSkippedForPostgres, postgresReachable, type SignedIn, Stack } from './stack';

/**
 * What a browser, or anyone who can send one a request, can get out of the build: every server action of the build
 * (from Next's own manifest, not a hand list) refuses whoever may not use it, and no page, payload, action answer,
 * static file or server log carries the Management API token, the client secret or NEXTAUTH_SECRET.
 * The audit lives in PostgreSQL here (when reachable) so the denials can be read while the app runs.
 */
const DIST = process.env.NEXT_DIST_DIR ?? '.next';
const READ_PERMISSIONS = new Set(['connections:read', 'keys:read', 'audit:read']);
const ROLES = ['anonymous', 'alice', 'bob', 'carol'] as const;
type Role = (typeof ROLES)[number];

let stack: Stack;
let withPostgres = false;
const sessions: Partial<Record<Role, SignedIn>> = {};
/** Every action answer this file received, for the secrets scan. */
const actionAnswers: string[] = [];
let connectionIds: string[] = [];

const cookieOf = (role: Role) => sessions[role]?.cookie;

async function call(name: string, args: unknown[], role: Role, origin?: string) {
  const response = await callServerAction(name, args, { cookie: cookieOf(role), baseUrl: stack.appUrls[0], origin });
  actionAnswers.push(response.text);
  return { ...response, result: actionResult(response.text) };
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  withPostgres = await postgresReachable();
  if (!withPostgres) noteSkippedForPostgres('e2e/exposure.spec.ts: the audited-denials check of every server action');
  stack = await Stack.start({ slot: 2, postgres: withPostgres });
  sessions.alice = await stack.signIn(browser, 'alice@example.com');
  sessions.bob = await stack.signIn(browser, 'bob@example.com');
  sessions.carol = await stack.signIn(browser, 'carol@example.com');
  const token = (await stack.admin('POST', '/tokens', { client_id: 'demo-readonly' })) as { access_token: string };
  const listed = await fetch(`${stack.emulatorUrl}/api/v2/connections?fields=id`, {
    headers: { authorization: `Bearer ${token.access_token}` },
  });
  connectionIds = ((await listed.json()) as { id: string }[]).map((connection) => connection.id);
  expect(connectionIds).toContain(SEED.soylent.id);
});

test.afterAll(async () => {
  await stack?.stop();
});

test('every server action refuses no session, no role, a viewer where it writes, and a foreign Origin; none reaches Auth0; signed-in denials are audited', async () => {
  test.skip(!withPostgres, 'reading the audit while the app runs needs PostgreSQL (noted in test-results/skipped.txt)');
  const actions = [...serverActions().keys()];
  expect(actions.length).toBeGreaterThanOrEqual(6);
  const mark = await stack.lastAuditId();
  const denials: { action: string; role: Role; requestId: string }[] = [];

  for (const action of actions) {
    for (const role of ['anonymous', 'carol'] as const) {
      const before = await stack.upstreamCalls();
      const { result } = await call(action, [{}], role);
      expect(result, `${action} as ${role}`).toMatchObject({
        ok: false,
        code: role === 'anonymous' ? 'unauthenticated' : 'forbidden',
      });
      expect(await stack.upstreamCalls(), `${action} as ${role} reached Auth0`).toBe(before);
      denials.push({ action, role, requestId: result?.requestId ?? '' });
    }

    // A cross-site page posting to the action, with alice's cookie attached: Next refuses before our code runs.
    const before = await stack.upstreamCalls();
    const foreign = await call(action, [{}], 'alice', 'https://attacker.example');
    expect(foreign.status, `${action} from a foreign Origin`).toBeGreaterThanOrEqual(400);
    expect(foreign.result).toBeUndefined();
    expect(await stack.upstreamCalls()).toBe(before);
  }

  // A signed-in user's denial is in the audit, with the permission the action needs; a request without a session is
  // not (only counted in the server's log). A viewer is refused every action that writes.
  const events = await stack.auditEvents(mark);
  const permissionOf = new Map<string, string>();
  for (const denial of denials) {
    const event = events.find((candidate) => candidate.request_id === denial.requestId);
    if (denial.role === 'anonymous') {
      expect(event, `${denial.action} without a session was audited`).toBeUndefined();
      continue;
    }
    expect(event, `no audit event for ${denial.action} as ${denial.role}`).toMatchObject({
      type: 'access.denied',
      actor_email: 'carol@example.com',
      details: { reason: 'forbidden' },
    });
    permissionOf.set(denial.action, String(event?.details?.permission));
  }
  for (const action of actions) {
    const permission = permissionOf.get(action) ?? '';
    if (READ_PERMISSIONS.has(permission)) continue;
    const before = await stack.upstreamCalls();
    const { result } = await call(action, [{}], 'bob');
    expect(result, `${action} (${permission}) as a viewer`).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await stack.upstreamCalls()).toBe(before);
    const [denied] = await stack.sql<{ type: string }>('select type from audit_events where request_id = $1', [
      result?.requestId,
    ]);
    expect(denied?.type).toBe('access.denied');
  }
  test.info().annotations.push({
    type: 'actions',
    description: actions.map((action) => `${action} (${permissionOf.get(action)})`).join(', '),
  });
});

/**
 * Arguments as React's client encodes them for the wire: a string starting with `$` is escaped as `$$…`, since
 * `$` opens a reference in the reply protocol. (An unescaped one is a malformed message, which Next refuses with a
 * 500 before any of Keyshift's code runs.)
 */
function asReactEncodes(value: unknown): unknown {
  if (typeof value === 'string') return value.startsWith('$') ? `$${value}` : value;
  if (Array.isArray(value)) return value.map(asReactEncodes);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, asReactEncodes(item)]));
  }
  return value;
}

test('arbitrary arguments to every action over HTTP: always an answer, never a 500 or an internal error', async () => {
  test.setTimeout(180_000);
  const runs = Number(process.env.FAST_CHECK_HTTP_RUNS ?? 12);
  for (const action of serverActions().keys()) {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 3 }), async (args) => {
        const { status, text, result } = await call(action, args.map(asReactEncodes), 'alice');
        expect(status, `${action}(${JSON.stringify(args)}): ${text.slice(0, 300)}`).toBe(200);
        expect(result, text.slice(0, 300)).toBeDefined();
        expect(result?.code).not.toBe('internal');
      }),
      { numRuns: runs },
    );
  }
});

/** The URL paths of every page and GET route of the build, dynamic segments filled in. */
function buildPaths(): string[] {
  const manifest = JSON.parse(readFileSync(`${DIST}/server/app-paths-manifest.json`, 'utf8')) as Record<string, string>;
  const paths = new Set<string>(['/no-such-page']);
  for (const entry of Object.keys(manifest)) {
    if (entry.startsWith('/_')) continue; // _not-found, _global-error: reached through /no-such-page
    const route = entry
      .replace(/\/(page|route)$/, '')
      .replace(/\/\([^)]+\)/g, '')
      .replace(/^$/, '/');
    if (route.includes('[...nextauth]')) {
      for (const part of ['session', 'providers', 'csrf']) paths.add(route.replace('[...nextauth]', part));
    } else if (route.includes('[id]')) {
      for (const id of connectionIds) paths.add(route.replace('[id]', id));
    } else {
      paths.add(route.replace(/\[[^\]]+\]/g, 'x') || '/');
    }
  }
  return [...paths];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map((entry) => path.join(dir, String(entry)))
    .filter((file) => statSync(file).isFile());
}

const JWT = /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+/g;

/** Management API tokens in a text: any JWT whose audience is a Management API. */
function managementTokens(text: string): string[] {
  return [...text.matchAll(JWT)]
    .map((match) => match[0])
    .filter((token) => {
      try {
        const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
          aud?: string | string[];
        };
        return [payload.aud].flat().some((aud) => typeof aud === 'string' && aud.includes('/api/v2/'));
      } catch {
        return false;
      }
    });
}

test('no page, RSC payload, action answer, static file or server log holds a token or a secret', async () => {
  test.setTimeout(240_000);
  // Exercise the paths that log and that handle secrets: fresh tokens, a renewal, a failure, a rotation, a listing.
  await stack.fault({ kind: 'expire-tokens' });
  for (const id of connectionIds) await call('listKeysAction', [{ connectionId: id }], 'alice');
  await call('connectionKeySummariesAction', [{ ids: connectionIds }], 'alice');
  await call('refreshConnectionsAction', [{ scope: 'all' }], 'alice');
  await call('listConnectionsAction', [{ scope: 'all' }], 'alice');
  await call('provisionKeysAction', [{ connectionId: SEED.wayne.id }], 'alice');
  await stack.fault({ route: 'POST /api/v2/connections/{id}/keys/rotate', kind: 'rotate-then-500' });
  // A fresh stack: the IdP's mode is unknown, so the rotation acknowledges that (the readiness gate).
  const rotate = {
    connectionId: SEED.hooli.id,
    signingAlg: 'ES256',
    confirmName: SEED.hooli.name,
    acknowledgedReadiness: 'unknown',
  };
  for (let round = 0; round < 2; round++) {
    const shown = await shownKids(stack.emulatorUrl, SEED.hooli.id);
    expect((await call('rotateKeysAction', [{ ...rotate, ...shown }], 'alice')).result).toMatchObject({ ok: true });
  }
  await stack.fault({ kind: 'expire-tokens' });
  await stack.fault({ route: 'POST /oauth/token', kind: 'status', status: 503, count: 3 });
  expect((await call('listKeysAction', [{ connectionId: SEED.acme.id }], 'alice')).result).toMatchObject({ ok: false });
  await stack.admin('DELETE', '/faults');

  // The Management token the app actually used: the emulator's log of the rotation names its jti.
  const reader = (await stack.admin('POST', '/tokens', { client_id: 'demo-readonly' })) as { access_token: string };
  const logs = (await (
    await fetch(`${stack.emulatorUrl}/api/v2/logs`, { headers: { authorization: `Bearer ${reader.access_token}` } })
  ).json()) as { details?: { request?: { auth?: { credentials?: { jti?: string } } } } }[];
  const usedJtis = logs.map((log) => log.details?.request?.auth?.credentials?.jti).filter(Boolean);
  expect(usedJtis.length).toBeGreaterThan(0);

  const corpus: { where: string; text: string }[] = [];
  for (const file of filesUnder(`${DIST}/static`)) corpus.push({ where: file, text: readFileSync(file, 'latin1') });
  const paths = buildPaths();
  expect(paths).toEqual(expect.arrayContaining(['/', '/signin', `/connections/${SEED.soylent.id}`]));
  for (const role of ROLES) {
    const cookie = cookieOf(role);
    const fetchAll = paths.flatMap((pathname) =>
      [false, true].map(async (rsc) => {
        const response = await fetch(`${stack.appUrls[0]}${pathname}`, {
          headers: { ...(cookie ? { cookie } : {}), ...(rsc ? { rsc: '1' } : {}) },
        });
        corpus.push({ where: `${role} GET ${pathname}${rsc ? ' (RSC)' : ''}`, text: await response.text() });
      }),
    );
    await Promise.all(fetchAll);
  }
  // The pages really rendered what they hold for a rotator: the soylent page is there, with its strategy.
  const soylent = corpus.find((entry) => entry.where === `alice GET /connections/${SEED.soylent.id}`);
  expect(soylent?.text).toContain(SEED.soylent.name);
  for (const [index, text] of actionAnswers.entries()) corpus.push({ where: `action answer #${index}`, text });
  corpus.push({ where: 'server logs', text: stack.serverLogs() });

  const secrets: [string, string][] = [
    ['NEXTAUTH_SECRET', stack.secret],
    ['the demo NEXTAUTH_SECRET', 'keyshift-demo-secret-not-for-production-use'],
    ['the Management API client secret', 'demo-m2m-secret'],
    ['the sign-in client secret', 'keyshift-dashboard-secret'],
    ['oidc-soylent’s IdP client secret (in Auth0’s connection options)', 'emulated-idp-client-secret-not-real'],
  ];
  // The detector itself finds a real Management token, and the logs it read are not empty.
  const minted = (await stack.admin('POST', '/tokens', { client_id: 'demo-m2m' })) as { access_token: string };
  expect(managementTokens(`log line ${minted.access_token} end`)).toEqual([minted.access_token]);
  expect(stack.serverLogs()).toContain('Ready');

  const hits: string[] = [];
  for (const { where, text } of corpus) {
    for (const [what, secret] of secrets) if (text.includes(secret)) hits.push(`${what} in ${where}`);
    for (const token of managementTokens(text)) hits.push(`a Management API token in ${where}: ${token.slice(0, 24)}…`);
  }
  expect(hits).toEqual([]);
  test.info().annotations.push({
    type: 'secrets scan',
    description: `${corpus.length} texts (${corpus.filter((entry) => entry.where.startsWith(DIST)).length} static files, ${paths.length} paths × ${ROLES.length} roles × HTML+RSC, ${actionAnswers.length} action answers, ${stack.serverLogs().length} bytes of server log); Management tokens used: ${usedJtis.length} log entries`,
  });
});
