import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AuditEventInput, AuditFilters, RotationRow } from './index';
import { auditBackends, type Scratch } from './test-backends';

const backends = await auditBackends('lib/audit/rotations.test.ts');

const alice = { actorSub: 'auth0|alice', actorEmail: 'Alice@Acme.com', actorName: 'Alice' };
const bob = { actorSub: 'auth0|bob', actorEmail: 'bob@acme.com', actorName: 'Bob' };
// When each labelled event was stored (the store stamps the time), for the date-range cases.
const timeOf = new Map<string, Date>();
const at = (label: string) => timeOf.get(label) as Date;
type Filters = AuditFilters | (() => AuditFilters);
const resolve = (filters: Filters) => (typeof filters === 'function' ? filters() : filters);

// label → event, appended in this order, a few milliseconds apart. r3's `unknown` is settled later by a `succeeded`.
const seed: [string, AuditEventInput][] = [
  ['r1.req', { type: 'rotation.requested', ...alice, connectionId: 'con_a', requestId: 'r1' }],
  ['r1.ok', { type: 'rotation.succeeded', ...alice, connectionId: 'con_a', requestId: 'r1', newKid: 'k1' }],
  ['r2.req', { type: 'rotation.requested', ...bob, connectionId: 'con_a', requestId: 'r2' }],
  ['r2.failed', { type: 'rotation.failed', ...bob, connectionId: 'con_a', requestId: 'r2', message: 'boom' }],
  ['signin', { type: 'auth.signin', ...alice }],
  ['r3.req', { type: 'rotation.requested', ...alice, connectionId: 'con_b', requestId: 'r3' }],
  ['r3.unknown', { type: 'rotation.unknown', ...alice, connectionId: 'con_b', requestId: 'r3' }],
  ['r4.req', { type: 'rotation.requested', ...bob, connectionId: 'con_b', requestId: 'r4' }],
  ['denied', { type: 'access.denied', ...bob, connectionId: 'con_b', details: { action: 'keys:rotate' } }],
  ['r5.req', { type: 'rotation.requested', ...alice, connectionId: 'con_a', requestId: 'r5' }],
  ['provisioned', { type: 'keys.provisioned', ...alice, connectionId: 'con_a' }],
  ['e1', { type: 'rotation.external', connectionId: 'con_a', newKid: 'kx', details: { logId: 'log_1' } }],
  ['r3.ok', { type: 'rotation.succeeded', connectionId: 'con_b', requestId: 'r3', newKid: 'k3' }],
  ['r5.unknown', { type: 'rotation.unknown', ...alice, connectionId: 'con_a', requestId: 'r5' }],
];

describe.each(backends)('audit queries on %s', (_, backend) => {
  const it = backend.available ? test : test.skip;
  let scratch: Scratch;
  const labelOf = new Map<number, string>();
  beforeAll(async () => {
    if (!backend.available) return;
    scratch = await backend.fresh();
    for (const [label, input] of seed) {
      const event = await scratch.store.append({ ...input, details: { label, ...input.details } });
      labelOf.set(event.id, label);
      timeOf.set(label, event.occurredAt);
      // timing: the database clock stamps events (no clock to inject); distinct milliseconds give ranges clear edges.
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
  });
  afterAll(async () => scratch?.close());

  const all = async <T extends { id: number }>(
    fetch: (cursor: string | null) => Promise<{ events: T[]; nextCursor: string | null }>,
  ) => {
    const rows: T[] = [];
    let cursor: string | null = null;
    do {
      const page = await fetch(cursor);
      rows.push(...page.events);
      cursor = page.nextCursor;
    } while (cursor);
    return rows;
  };

  it.each<[string, Filters, string[]]>([
    ['connection', { connectionId: 'con_b' }, ['r3.ok', 'denied', 'r4.req', 'r3.unknown', 'r3.req']],
    [
      'actor by email, any case',
      { actor: 'ALICE@acme.com' },
      ['r5.unknown', 'provisioned', 'r5.req', 'r3.unknown', 'r3.req', 'signin', 'r1.ok', 'r1.req'],
    ],
    ['actor by sub', { actor: 'auth0|bob' }, ['denied', 'r4.req', 'r2.failed', 'r2.req']],
    ['outcome failed', { outcome: 'failed' }, ['r2.failed']],
    ['outcome requested', { outcome: 'requested' }, ['r5.req', 'r4.req', 'r3.req', 'r2.req', 'r1.req']],
    ['outcome in progress', { outcome: 'in_progress' }, ['r4.req']],
    ['outcome external', { outcome: 'external' }, ['e1']],
    ['connection and outcome', { connectionId: 'con_a', outcome: 'unknown' }, ['r5.unknown']],
    ['types', { types: ['auth.signin', 'access.denied'] }, ['denied', 'signin']],
    [
      'date range, to exclusive',
      () => ({ from: at('r2.failed'), to: at('r3.unknown') }),
      ['r3.req', 'signin', 'r2.failed'],
    ],
    ['dates as strings', () => ({ from: at('r3.ok').toISOString() }), ['r5.unknown', 'r3.ok']],
    ['a range with no events', () => ({ from: at('r2.req'), to: at('r2.req') }), []],
    ['nothing', { connectionId: 'con_none' }, []],
    [
      'empty form fields (no filter)',
      { connectionId: '', actor: ' ', outcome: '' as never, from: '' },
      [
        ...['r5.unknown', 'r3.ok', 'e1', 'provisioned', 'r5.req', 'denied', 'r4.req', 'r3.unknown', 'r3.req'],
        ...['signin', 'r2.failed', 'r2.req', 'r1.ok', 'r1.req'],
      ],
    ],
  ])('lists raw events by %s, newest first, across pages', async (_, filters, expected) => {
    const events = await all((cursor) => scratch.store.list({ filters: resolve(filters), cursor, limit: 2 }));
    expect(events.map((event) => labelOf.get(event.id))).toEqual(expected);
  });

  const row = (id: string, outcome: RotationRow['outcome']) => ({ id, outcome });
  it.each<[string, Filters, { id: string; outcome: string }[]]>([
    [
      'nothing',
      {},
      [
        row('e1', 'external'),
        row('r5.req', 'unknown'),
        row('r4.req', 'in_progress'),
        row('r3.req', 'succeeded'),
        row('r2.req', 'failed'),
        row('r1.req', 'succeeded'),
      ],
    ],
    [
      'succeeded (a later outcome supersedes unknown)',
      { outcome: 'succeeded' },
      [row('r3.req', 'succeeded'), row('r1.req', 'succeeded')],
    ],
    ['unknown', { outcome: 'unknown' }, [row('r5.req', 'unknown')]],
    ['failed', { outcome: 'failed' }, [row('r2.req', 'failed')]],
    ['in progress', { outcome: 'in_progress' }, [row('r4.req', 'in_progress')]],
    ['external', { outcome: 'external' }, [row('e1', 'external')]],
    [
      'requested by Keyshift',
      { outcome: 'requested' },
      [
        row('r5.req', 'unknown'),
        row('r4.req', 'in_progress'),
        row('r3.req', 'succeeded'),
        row('r2.req', 'failed'),
        row('r1.req', 'succeeded'),
      ],
    ],
    [
      'connection',
      { connectionId: 'con_a' },
      [row('e1', 'external'), row('r5.req', 'unknown'), row('r2.req', 'failed'), row('r1.req', 'succeeded')],
    ],
    ['connection and outcome', { connectionId: 'con_b', outcome: 'succeeded' }, [row('r3.req', 'succeeded')]],
    [
      'actor (who requested, not who settled)',
      { actor: 'alice@acme.com', outcome: 'succeeded' },
      [row('r3.req', 'succeeded'), row('r1.req', 'succeeded')],
    ],
    [
      'request date',
      () => ({ from: at('r3.req'), to: at('r5.req') }),
      [row('r4.req', 'in_progress'), row('r3.req', 'succeeded')],
    ],
    ['request date and outcome', () => ({ from: at('r2.req'), outcome: 'failed' }), [row('r2.req', 'failed')]],
    ['request date after the outcome', () => ({ from: at('r2.failed'), outcome: 'failed' }), []],
  ])('lists rotations by %s, one row each, across pages', async (_, filters, expected) => {
    const rows = await all((cursor) => scratch.store.listRotations({ filters: resolve(filters), cursor, limit: 1 }));
    expect(rows.map((r) => ({ id: labelOf.get(r.id), outcome: r.outcome }))).toEqual(expected);
  });

  it('joins a rotation with its outcome fields', async () => {
    const { events } = await scratch.store.listRotations({ filters: { connectionId: 'con_b' } });
    const r3 = events.find((r) => r.requestId === 'r3');
    expect(r3).toMatchObject({
      outcome: 'succeeded',
      newKid: 'k3',
      actorEmail: 'Alice@Acme.com',
      requestedAt: at('r3.req'),
    });
    expect(r3?.settledAt).toEqual(at('r3.ok'));
    const { events: failed } = await scratch.store.listRotations({ filters: { outcome: 'failed' } });
    expect(failed[0]).toMatchObject({ requestId: 'r2', message: 'boom', actorSub: 'auth0|bob' });
    const { events: external } = await scratch.store.listRotations({ filters: { outcome: 'external' } });
    expect(external[0]).toMatchObject({ outcome: 'external', newKid: 'kx', requestId: null });
  });

  it('returns the events of one request in order, and single events by id', async () => {
    const events = await scratch.store.eventsForRequest('r3');
    expect(events.map((event) => labelOf.get(event.id))).toEqual(['r3.req', 'r3.unknown', 'r3.ok']);
    const first = events[0];
    expect(await scratch.store.get(first?.id ?? 0)).toEqual(first);
    expect(await scratch.store.get(999_999)).toBeNull();
  });

  it.each([['garbage'], [Buffer.from('k1:abc').toString('base64url')]])(
    'refuses a forged cursor %s',
    async (cursor) => {
      await expect(scratch.store.list({ cursor })).rejects.toThrow(/cursor/);
    },
  );

  it('pages without gaps or repeats while events are appended between pages', async () => {
    const connectionId = 'con_paging';
    const before: number[] = [];
    for (let n = 0; n < 23; n++) {
      const requestId = `p${n}`;
      before.push((await scratch.store.append({ type: 'rotation.requested', connectionId, requestId })).id);
      await scratch.store.append({ type: 'rotation.failed', connectionId, requestId });
    }
    const seen: number[] = [];
    const seenRotations: number[] = [];
    let cursor: string | null = null;
    let rotationCursor: string | null = null;
    let appended = 0;
    do {
      const page = await scratch.store.list({ filters: { connectionId, outcome: 'requested' }, cursor, limit: 5 });
      const rotations = await scratch.store.listRotations({
        filters: { connectionId, outcome: 'failed' },
        cursor: rotationCursor,
        limit: 5,
      });
      seen.push(...page.events.map((event) => event.id));
      seenRotations.push(...rotations.events.map((r) => r.id));
      const requestId = `late${appended++}`;
      await scratch.store.append({ type: 'rotation.requested', connectionId, requestId });
      await scratch.store.append({ type: 'rotation.failed', connectionId, requestId });
      cursor = page.nextCursor;
      rotationCursor = rotations.nextCursor;
    } while (cursor || rotationCursor);
    const expected = [...before].reverse();
    expect(seen).toEqual(expected);
    expect(seenRotations).toEqual(expected);
  });
});
