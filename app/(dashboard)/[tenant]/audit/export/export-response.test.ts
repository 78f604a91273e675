import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AuditStore, openAuditStore } from '@/lib/audit';
import { ROTATION_EVENT_TYPES } from '@/lib/audit/view/audit-page';
import { type AnonymousAttempt, createAuthorize, type DeniedAttempt, requestInfoFrom } from '@/lib/auth/authorize-core';
import type { CurrentUser } from '@/lib/auth/session-types';
import { csvObjects, parseCsv } from '@/lib/testing/rfc4180';
import { TEST_TENANT, TEST_USERS } from '@/lib/testing/tenants';
import { createExportHandler, type ExportDependencies } from './export-response';

const HOOLI = 'con_Zm2eT6xWc9FvN3jA';
const ACME = 'con_Q7tLk2vMx9RbW4sE';
const { alice, bob, carol } = TEST_USERS;

let store: AuditStore;

beforeAll(async () => {
  store = await openAuditStore({ memory: true });
  for (const [i, connectionId] of [HOOLI, ACME, HOOLI].entries()) {
    const requestId = `req-${i}`;
    const base = {
      requestId,
      tenant: TEST_TENANT.domain,
      connectionId,
      actorSub: alice.sub,
      actorEmail: alice.email,
      algorithm: 'RS256',
    };
    await store.append({ type: 'rotation.requested', ...base });
    await store.append({ type: 'rotation.succeeded', ...base, newKid: `kid-${i}`, status: 201 });
  }
  await store.append({ type: 'auth.signin', actorSub: bob.sub, actorEmail: bob.email });
  // An actor name a spreadsheet would run as a formula, and one with every CSV special character.
  await store.append({
    type: 'rotation.external',
    tenant: TEST_TENANT.domain,
    connectionId: HOOLI,
    actorSub: 'script',
    actorName: '=HYPERLINK("x"), "quoted"\r\nname',
    details: { logId: '900', date: '2025-01-01T00:00:00.000Z' },
  });
});
afterAll(() => store?.close());

function handler(
  user: CurrentUser | null,
  denied: DeniedAttempt[] = [],
  anonymous: AnonymousAttempt[] = [],
  overrides: Partial<ExportDependencies> = {},
) {
  const deps: ExportDependencies = {
    authorize: createAuthorize({
      currentUser: async () => user,
      recordDenied: async (attempt) => {
        denied.push(attempt);
      },
      refusedWithoutSession: (attempt) => anonymous.push(attempt),
      logError: () => {},
    }),
    requestInfo: (headers) => requestInfoFrom(headers, 0),
    exportEvents: ({ filters, format, wholeChain }) =>
      store.exportEvents({
        filters: wholeChain ? {} : { ...filters, types: ROTATION_EVENT_TYPES },
        format,
        batchSize: 2,
      }),
    logError: () => {},
    now: () => new Date('2025-06-01T10:00:00Z'),
    tenantSlugs: () => [TEST_TENANT.slug],
    ...overrides,
  };
  const exportAudit = createExportHandler(deps);
  return (request: Request) => exportAudit(request, TEST_TENANT.slug, TEST_TENANT.domain);
}

const get = (query: string) =>
  new Request(`http://keyshift.test/audit/export?${query}`, { headers: { 'user-agent': 'ua' } });

describe('GET /audit/export', () => {
  test.each([
    ['no session', null, 401, 0, 1],
    ['a user without a role', carol, 403, 1, 0],
  ])(
    '%s: %i, no data; a signed-in refusal is audited, an anonymous one only counted',
    async (_label, user, status, audited, counted) => {
      const denied: DeniedAttempt[] = [];
      const anonymous: AnonymousAttempt[] = [];
      const response = await handler(user, denied, anonymous)(get('format=csv'));
      expect(response.status).toBe(status);
      expect(response.headers.get('content-disposition')).toBeNull();
      const body = await response.text();
      expect(body).not.toContain('kid-');
      const refusal = expect.objectContaining({ action: 'exportAudit', permission: 'audit:read', userAgent: 'ua' });
      expect(denied).toEqual(Array(audited).fill(refusal));
      expect(anonymous).toEqual(Array(counted).fill(refusal));
    },
  );

  test('an unknown format is refused', async () => {
    expect((await handler(bob)(get('format=xlsx'))).status).toBe(400);
  });

  test('a viewer downloads a CSV of the rotation events matching the filters, which a CSV reader reads back', async () => {
    const response = await handler(bob)(get(`format=csv&connection=${HOOLI}`));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="keyshift-audit-acme-2025-06-01.csv"',
    );
    const rows = csvObjects(await response.text());
    expect(rows.map((row) => row.type)).toEqual([
      'rotation.external',
      'rotation.succeeded',
      'rotation.requested',
      'rotation.succeeded',
      'rotation.requested',
    ]);
    expect(new Set(rows.map((row) => row.connectionId))).toEqual(new Set([HOOLI]));
    expect(rows.filter((row) => row.newKid).map((row) => row.newKid)).toEqual(['kid-2', 'kid-0']);
    expect(rows[0]?.actorName).toBe('\'=HYPERLINK("x"), "quoted"\r\nname');
    expect(JSON.parse(rows[0]?.details ?? '')).toEqual({ logId: '900', date: '2025-01-01T00:00:00.000Z' });
  });

  test('JSON is one array of every matching event, sign-ins and denials left out', async () => {
    const response = await handler(alice)(get('format=json&outcome=succeeded'));
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const { events, filtered } = (await response.json()) as {
      events: { type: string; newKid: string }[];
      filtered: boolean;
    };
    expect(filtered).toBe(true);
    expect(events.map((event) => event.newKid)).toEqual(['kid-2', 'kid-1', 'kid-0']);
    expect(events.every((event) => event.type === 'rotation.succeeded')).toBe(true);
  });

  test('scope=chain: every event, unfiltered, whatever the page filters say, as audit-verify reads it', async () => {
    const response = await handler(bob)(get(`format=json&scope=chain&connection=${ACME}`));
    const exported = (await response.json()) as { filtered: boolean; events: { id: number }[] };
    expect(exported.filtered).toBe(false);
    expect(exported.events.map((event) => event.id)).toEqual(
      (await store.list({ limit: 500 })).events.map((event) => event.id),
    );
    expect((await handler(bob)(get('format=json&scope=everything'))).status).toBe(400);
  });

  test('nothing matches: a header row only', async () => {
    const response = await handler(bob)(get('format=csv&actor=nobody@example.com'));
    const text = await response.text();
    expect(text.split('\r\n')).toEqual([expect.stringMatching(/^id,occurredAt,type,/), '']);
  });

  test('the body is streamed in batches, pulled as the reader reads', async () => {
    const response = await handler(bob)(get('format=csv'));
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no body');
    const chunks: string[] = [];
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(decoder.decode(value));
    }
    // Header, then batches of two events: the export never held everything at once.
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    expect(chunks[0]).toMatch(/^id,occurredAt,type,/);
  });

  /** What the browser received before the stream broke, and how it broke. */
  async function readUntilFailure(response: Response) {
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no body');
    const decoder = new TextDecoder();
    let text = '';
    for (;;) {
      try {
        const { value, done } = await reader.read();
        if (done) return { text, failure: null };
        text += decoder.decode(value);
      } catch (error) {
        return { text, failure: error };
      }
    }
  }

  test.each(['csv', 'json'] as const)(
    'a query failing mid-export (%s): the download fails, the file is marked incomplete, the failure logged',
    async (format) => {
      const logged: [string, Record<string, unknown>][] = [];
      const failing = handler(bob, [], [], {
        // Two batches of two events reach the browser, then the database stops answering.
        async *exportEvents({ filters, format }) {
          let chunks = 0;
          for await (const chunk of store.exportEvents({ filters, format, batchSize: 2 })) {
            if (chunks++ === 3) throw new Error('connection terminated unexpectedly');
            yield chunk;
          }
        },
        logError: (message, details) => logged.push([message, details]),
      });
      const response = await failing(get(`format=${format}`));
      expect(response.status).toBe(200);
      const requestId = response.headers.get('x-request-id');
      const { text, failure } = await readUntilFailure(response);
      expect(String(failure)).toMatch(/connection terminated unexpectedly/);
      expect(text).toContain(`EXPORT FAILED: this file is incomplete`);
      expect(text).toContain(`Reference: ${requestId}`);
      if (format === 'csv') {
        const rows = parseCsv(text);
        expect(rows.length).toBe(1 + 4 + 1);
        expect(rows.at(-1)?.[0]).toBe('EXPORT FAILED');
      } else {
        expect(() => JSON.parse(text)).toThrow();
      }
      expect(logged).toEqual([
        ['audit export failed while streaming', { requestId, error: 'Error: connection terminated unexpectedly' }],
      ]);
    },
  );
});
