import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { z } from 'zod';
import { SEED_CONNECTIONS } from '@/emulator/seed';
import { type RunningEmulator, startEmulator } from '@/emulator/server';
import type { ActionResult, ActionSpec } from '@/lib/auth/action-core';
import type { CurrentUser } from '@/lib/auth/session-types';
import { arbitraryFor, type JsonSchema } from '@/lib/testing/json-schema-arbitrary';
import { everywhere } from '@/lib/testing/tenants';

/**
 * Every server action of the app, found by walking app/ for actions.ts files (not a hand list), called through its
 * real authorized-action wrapper with arbitrary input. Only the session and the request headers are faked; Auth0 is
 * the emulator (its counters tell whether a call went upstream) and the audit is a real PGlite store.
 */
const registry = vi.hoisted(() => ({
  specs: new Map<unknown, { name: string; permission: string; input: unknown }>(),
  user: null as CurrentUser | null,
}));

vi.mock('@/lib/auth/action-core', async (importOriginal) => {
  const core = await importOriginal<typeof import('@/lib/auth/action-core')>();
  return {
    ...core,
    createActionHelper: (deps: Parameters<typeof core.createActionHelper>[0]) => {
      const helper = core.createActionHelper(deps);
      return <Schema extends z.ZodType, T>(spec: ActionSpec<Schema>, run: Parameters<typeof helper<Schema, T>>[1]) => {
        const action = helper(spec, run);
        registry.specs.set(action, spec);
        return action;
      };
    },
  };
});
vi.mock('@/lib/auth/session', () => ({ currentUser: async () => registry.user }));
vi.mock('next/headers', () => ({
  headers: async () => new Headers({ 'user-agent': 'fast-check', 'x-forwarded-for': '203.0.113.7' }),
}));

type Action = (input: unknown) => Promise<ActionResult<unknown>>;
interface Found {
  file: string;
  exportName: string;
  action: Action;
  spec: { name: string; permission: string; input: z.ZodType };
  schema: JsonSchema;
}

const USERS: Record<'rotator' | 'viewer' | 'none', CurrentUser> = {
  rotator: { sub: 'auth0|alice', email: 'alice@example.com', name: 'Alice', roles: everywhere('rotator') },
  viewer: { sub: 'auth0|bob', email: 'bob@example.com', name: 'Bob', roles: everywhere('viewer') },
  none: { sub: 'auth0|carol', email: 'carol@example.com', name: 'Carol', roles: everywhere(null) },
};
const READ_PERMISSIONS = new Set(['connections:read', 'keys:read', 'audit:read']);
// Values worth trying wherever a schema allows them: real connections make valid input reach real work.
const KNOWN_VALUES = Object.values(SEED_CONNECTIONS).flatMap((connection) => [connection.id, connection.name]);
const RUNS = Number(process.env.FAST_CHECK_RUNS ?? 40);

let emulator: RunningEmulator;
let dataDir: string;
let found: Found[] = [];
let audit: typeof import('@/lib/audit');

const isObject = (input: unknown): input is object =>
  input !== null && typeof input === 'object' && !Array.isArray(input);

/** What an input names no tenant in is answered with, before any session is looked at: nothing recorded. */
const NO_TENANT = { ok: false, code: 'invalid_input', fieldErrors: { tenant: expect.any(Array) } };

async function actionFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.filter((entry) => path.basename(entry) === 'actions.ts').map((entry) => path.join(dir, entry));
}

async function upstreamCalls(): Promise<number> {
  const counts = (await (await fetch(`${emulator.url}/__emulator/calls`)).json()) as Record<string, unknown>;
  return Object.values(counts).reduce<number>((sum, value) => sum + (typeof value === 'number' ? value : 0), 0);
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, rateLimit: { capacity: 1_000_000, refillPerSecond: 1_000_000 } });
  dataDir = await mkdtemp(path.join(tmpdir(), 'keyshift-actions-'));
  process.env.KEYSHIFT_DEMO = '1';
  process.env.AUTH0_API_ORIGIN = emulator.url;
  process.env.KEYSHIFT_DATA_DIR = dataDir;
  audit = await import('@/lib/audit');
  const slug = (await import('@/lib/config')).config().tenants[0]?.slug;
  for (const file of await actionFiles(path.resolve('app'))) {
    const module = (await import(file)) as Record<string, unknown>;
    for (const [exportName, value] of Object.entries(module)) {
      if (typeof value !== 'function') continue;
      const spec = registry.specs.get(value) as Found['spec'] | undefined;
      if (!spec) throw new Error(`${file} exports ${exportName}, which does not go through authorizedAction`);
      const schema = z.toJSONSchema(spec.input, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
      // Called as the configured tenant's pages call them: an object input carries the tenant's slug.
      const action = (input: unknown) => (value as Action)(isObject(input) ? { tenant: slug, ...input } : input);
      found.push({ file: path.relative('.', file), exportName, action, spec, schema });
    }
  }
});

afterAll(async () => {
  await (await audit?.auditStore())?.close();
  await emulator?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  found = [];
});

/** Runs the action and insists on the shape every caller relies on: a result, never a throw, never `internal`. */
async function call(found: Found, input: unknown): Promise<ActionResult<unknown>> {
  const result = await found.action(input);
  expect(typeof result.ok).toBe('boolean');
  if (!result.ok) {
    expect(result.code, `${found.exportName}(${JSON.stringify(input)}): ${result.message}`).not.toBe('internal');
    expect(result.message).toMatch(/\S/);
    expect(result.message).not.toMatch(/\bat .+\.(ts|js):\d+/); // no stack traces
  }
  return result;
}

const anyInput = () =>
  fc.oneof(
    fc.anything(),
    fc.dictionary(fc.string(), fc.anything()),
    fc.constantFrom(undefined, null, '', 0, [], {}, { connectionId: null }, { __proto__: null }),
  );

/** An input that breaks exactly one field of a valid one, and that field's name. */
function oneWrongField(found: Found) {
  const fields = Object.keys(found.schema.properties ?? {});
  return arbitraryFor(found.schema, KNOWN_VALUES).chain((valid) =>
    fc
      .constantFrom(...fields)
      .chain((field) => fc.anything().map((value) => ({ input: { ...(valid as object), [field]: value }, field }))),
  );
}

describe('every server action', () => {
  test('the actions were found, each through authorizedAction', () => {
    expect(found.map((entry) => entry.exportName)).toEqual(
      expect.arrayContaining(['listKeysAction', 'provisionKeysAction', 'rotateKeysAction', 'listConnectionsAction']),
    );
  });

  test('without a session: always refused, whatever the input, nothing sent upstream, nothing appended to the audit', async () => {
    registry.user = null;
    const store = await audit.auditStore();
    const head = (await store.verify()).head;
    for (const entry of found) {
      await fc.assert(
        fc.asyncProperty(anyInput(), async (input) => {
          const before = await upstreamCalls();
          const result = await call(entry, input);
          expect(result).toMatchObject(isObject(input) ? { ok: false, code: 'unauthenticated' } : NO_TENANT);
          expect(await upstreamCalls()).toBe(before);
        }),
        { numRuns: Math.ceil(RUNS / 4) },
      );
    }
    expect((await store.verify()).head).toEqual(head);
  });

  test('a role without the permission: refused before the input is even looked at, nothing sent upstream, the denial audited', async () => {
    for (const role of ['none', 'viewer'] as const) {
      registry.user = USERS[role];
      for (const entry of found) {
        const allowed = role === 'viewer' && READ_PERMISSIONS.has(entry.spec.permission);
        if (allowed) continue;
        await fc.assert(
          fc.asyncProperty(anyInput(), async (input) => {
            const before = await upstreamCalls();
            const result = await call(entry, input);
            expect(result).toMatchObject(isObject(input) ? { ok: false, code: 'forbidden' } : NO_TENANT);
            expect(await upstreamCalls()).toBe(before);
            const denials = await (await audit.auditStore()).eventsForRequest(
              (result as { requestId: string }).requestId,
            );
            if (!isObject(input)) {
              expect(denials).toEqual([]);
              return;
            }
            expect(denials).toEqual([
              expect.objectContaining({
                type: 'access.denied',
                details: expect.objectContaining({ action: entry.spec.name, reason: 'forbidden' }),
              }),
            ]);
          }),
          { numRuns: Math.ceil(RUNS / 4) },
        );
      }
    }
  });

  test('arbitrary input from a rotator: never a crash; invalid input is refused naming fields, sending nothing upstream', async () => {
    registry.user = USERS.rotator;
    for (const entry of found) {
      await fc.assert(
        fc.asyncProperty(fc.oneof(anyInput(), arbitraryFor(entry.schema, KNOWN_VALUES)), async (input) => {
          const valid = entry.spec.input.safeParse(input).success;
          const before = await upstreamCalls();
          const result = await call(entry, input);
          if (valid) return;
          expect(result).toMatchObject({ ok: false, code: 'invalid_input' });
          expect(Object.keys((result as { fieldErrors?: object }).fieldErrors ?? {}).length).toBeGreaterThan(0);
          expect(await upstreamCalls()).toBe(before);
        }),
        { numRuns: RUNS },
      );
    }
  });

  test('one wrong field: the error names that field, and nothing is sent upstream', async () => {
    registry.user = USERS.rotator;
    for (const entry of found) {
      if (Object.keys(entry.schema.properties ?? {}).length === 0) continue;
      await fc.assert(
        fc.asyncProperty(
          oneWrongField(entry).filter(({ input }) => !entry.spec.input.safeParse(input).success),
          async ({ input, field }) => {
            const before = await upstreamCalls();
            const result = await call(entry, input);
            expect(result).toMatchObject({ ok: false, code: 'invalid_input' });
            const fields = Object.keys((result as { fieldErrors?: object }).fieldErrors ?? {});
            expect(
              fields.some((name) => name === field || name.startsWith(`${field}.`)),
              JSON.stringify(result),
            ).toBe(true);
            expect(result.ok ? '' : result.message).toContain(field);
            expect(await upstreamCalls()).toBe(before);
          },
        ),
        { numRuns: RUNS },
      );
    }
  });

  test('an unknown field: refused, and the message names it', async () => {
    registry.user = USERS.rotator;
    for (const entry of found.filter((candidate) => candidate.schema.additionalProperties === false)) {
      const known = new Set(Object.keys(entry.schema.properties ?? {}));
      const extraKey = fc.stringMatching(/^[a-z][A-Za-z0-9]{0,15}$/).filter((key) => !known.has(key));
      await fc.assert(
        fc.asyncProperty(
          arbitraryFor(entry.schema, KNOWN_VALUES),
          extraKey,
          fc.jsonValue(),
          async (valid, key, value) => {
            const before = await upstreamCalls();
            const result = await call(entry, { ...(valid as object), [key]: value });
            expect(result).toMatchObject({ ok: false, code: 'invalid_input' });
            expect(result.ok ? '' : result.message).toContain(key);
            expect(await upstreamCalls()).toBe(before);
          },
        ),
        { numRuns: Math.ceil(RUNS / 2) },
      );
    }
  });
});

describe('rotateKeysAction and the keys the page showed', () => {
  const target = SEED_CONNECTIONS.oidcUmbrella;
  const rotateCalls = async () => {
    const counts = (await (await fetch(`${emulator.url}/__emulator/calls`)).json()) as {
      rotations?: Record<string, number>;
    };
    return counts.rotations?.[target.id] ?? 0;
  };
  const action = (name: string) => {
    const entry = found.find((candidate) => candidate.exportName === name);
    if (!entry) throw new Error(`${name} not found`);
    return entry.action;
  };
  const shownKids = async () => {
    const keys = await action('listKeysAction')({ connectionId: target.id });
    if (!keys.ok) throw new Error(keys.message);
    const list = keys.data as { kid: string; current: boolean; next: boolean }[];
    return {
      expectedCurrentKid: list.find((key) => key.current)?.kid,
      expectedNextKid: list.find((key) => key.next)?.kid,
    };
  };
  // The fuzzing above may have recorded any IdP mode for it: put it back to "nobody knows", so readiness is unknown.
  beforeAll(async () => {
    registry.user = USERS.rotator;
    const reset = await action('configureIdpAction')({
      connectionId: target.id,
      mode: 'unknown',
      cacheSeconds: 86_400,
    });
    expect(reset).toMatchObject({ ok: true });
  });
  // Readiness unknown, which the rotation acknowledges.
  const rotation = {
    connectionId: target.id,
    signingAlg: 'PS256',
    confirmName: target.name,
    acknowledgedReadiness: 'unknown',
  };

  test('without the acknowledgment the readiness gate refuses (not_ready, naming the consequence); Auth0 is not asked to rotate', async () => {
    registry.user = USERS.rotator;
    const kids = await shownKids();
    const rotations = await rotateCalls();
    const { acknowledgedReadiness: _, ...unacknowledged } = rotation;
    const refused = await action('rotateKeysAction')({ ...unacknowledged, ...kids });
    expect(refused).toMatchObject({
      ok: false,
      code: 'not_ready',
      message: expect.stringContaining(
        `Sign-ins through ${target.name} will fail until its identity provider trusts key ${kids.expectedNextKid}.`,
      ),
    });
    expect(await rotateCalls()).toBe(rotations);
  });

  test('a call without the kids is invalid input naming both, and nothing reaches Auth0', async () => {
    registry.user = USERS.rotator;
    const before = await upstreamCalls();
    const result = await action('rotateKeysAction')(rotation);
    expect(result).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(Object.keys((result as { fieldErrors?: object }).fieldErrors ?? {}).sort()).toEqual([
      'expectedCurrentKid',
      'expectedNextKid',
    ]);
    expect(await upstreamCalls()).toBe(before);
  });

  test('a page a rotation behind is refused, naming who rotated, and Auth0 rotates once', async () => {
    registry.user = USERS.rotator;
    const stale = await shownKids();
    const rotations = await rotateCalls();
    expect(await action('rotateKeysAction')({ ...rotation, ...stale })).toMatchObject({ ok: true });
    const refused = await action('rotateKeysAction')({ ...rotation, ...stale });
    expect(refused).toMatchObject({
      ok: false,
      code: 'precondition_failed',
      message: expect.stringMatching(
        /^The keys changed since this page loaded: Alice rotated them \d+ s ago\. Review the new keys, then rotate again if you still mean to\.$/,
      ),
    });
    expect(await rotateCalls()).toBe(rotations + 1);
    const events = await (await audit.auditStore()).eventsForRequest((refused as { requestId: string }).requestId);
    expect(events.map((event) => [event.type, event.errorCode])).toEqual([
      ['rotation.requested', 'precondition_failed'],
      ['rotation.failed', 'precondition_failed'],
    ]);
  });
});
