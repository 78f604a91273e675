import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Checkpoint, checkpointLine, parseCheckpoint } from './checkpoint';
import { exportFailureMarker } from './export';
import { type AuditStore, openAuditStore } from './store';
import type { AuditFilters } from './types';
import { verifyExport } from './verify-export';

let store: AuditStore;
let whole: string;

async function exported(filters: AuditFilters = {}, batchSize = 2): Promise<string> {
  let text = '';
  for await (const chunk of store.exportEvents({ filters, format: 'json', batchSize })) text += chunk;
  return text;
}

beforeAll(async () => {
  store = await openAuditStore({ memory: true });
  for (let n = 1; n <= 5; n++) {
    await store.append({
      type: n % 2 ? 'auth.signin' : 'access.denied',
      actorSub: `auth0|${n}`,
      actorName: `User ${n} ✓ \u{1F511}`,
      connectionId: n % 2 ? 'con_a' : 'con_b',
      details: { n, nested: { z: 1, a: [1, 'two'] } },
    });
  }
  whole = await exported();
});
afterAll(() => store?.close());

/** The export with one event changed by `edit` (the events are listed newest first; id picks one). */
function tampered(id: number, edit: (event: Record<string, unknown>, events: Record<string, unknown>[]) => void) {
  const document = JSON.parse(whole) as { events: Record<string, unknown>[] };
  const event = document.events.find((candidate) => candidate.id === id);
  if (!event) throw new Error(`no event ${id}`);
  edit(event, document.events);
  return JSON.stringify(document);
}

const checkpointOf = (id: number, hash: string): Checkpoint =>
  parseCheckpoint(checkpointLine({ id, hash }, new Date('2026-01-01T00:00:00Z'))) as Checkpoint;

describe('verifyExport: an export verified offline, with the chain’s own rules', () => {
  test('the whole chain verifies, ending at the head the store verifies to', async () => {
    const verdict = verifyExport(whole);
    expect(verdict).toEqual({ ok: true, result: await store.verify() });
  });

  test.each<[string, () => string, RegExp]>([
    [
      'a field edited',
      () => tampered(3, (event) => Object.assign(event, { actorName: 'Mallory' })),
      /#3: its content does not match its hash: the event was edited/,
    ],
    ['details edited', () => tampered(2, (event) => Object.assign(event, { details: { n: 9 } })), /#2: its content/],
    [
      'its hash recomputed after an edit',
      () => tampered(3, (event) => Object.assign(event, { actorName: 'M', hash: 'f'.repeat(64) })),
      /#3: /,
    ],
    [
      'an event removed',
      () =>
        tampered(3, (_, events) =>
          events.splice(
            events.findIndex((e) => e.id === 3),
            1,
          ),
        ),
      /#4: prevHash does not match the hash of event 2/,
    ],
    [
      'the oldest event removed',
      () => tampered(1, (_, events) => events.pop()),
      /#2: the first event does not start the chain/,
    ],
  ])('a tampered export (%s) is refused, naming the first broken event', (_, file, reason) => {
    const verdict = verifyExport(file());
    expect(verdict.ok).toBe(false);
    expect(verdict.ok === false && verdict.refused).toMatch(
      new RegExp(`^Audit chain BROKEN at event ${reason.source}`),
    );
  });

  test.each<[string, AuditFilters]>([
    ['one connection', { connectionId: 'con_a' }],
    ['one type', { types: ['auth.signin'] }],
    ['a date range that holds every event', { from: new Date('2000-01-01') }],
  ])('a filtered export (%s) is refused as filtered, not reported as tampered', async (_, filters) => {
    expect(verifyExport(await exported(filters))).toEqual({
      ok: false,
      refused: expect.stringMatching(
        /^This export is filtered \(.+\), so it leaves out events .* cannot be verified\. Export the whole chain/,
      ),
    });
  });

  test.each([
    [
      'an export that failed part way',
      () => `${whole.slice(0, whole.lastIndexOf(',\n'))}${exportFailureMarker('json', 'ref-1')}`,
      /not a complete JSON export .*failed part way/,
    ],
    [
      'an array of events (not an export)',
      () => JSON.stringify(JSON.parse(whole).events),
      /not a Keyshift audit export/,
    ],
    ['an event without its hash', () => tampered(2, (event) => delete event.hash), /event #2 is malformed/],
  ])('%s is refused', (_, file, reason) => {
    const verdict = verifyExport(file());
    expect(verdict.ok === false && verdict.refused).toMatch(reason);
  });

  test('against a checkpoint: the export reaches the anchored head unchanged', async () => {
    const [head, , third] = (await store.list({ limit: 5 })).events;
    if (!head || !third) throw new Error('no events');
    expect(verifyExport(whole, checkpointOf(head.id, head.hash)).ok).toBe(true);
    expect(verifyExport(whole, checkpointOf(third.id, third.hash)).ok).toBe(true);
  });

  test.each([
    [
      'another hash for the event (the chain rewritten since)',
      3,
      'e'.repeat(64),
      /^Event #3 has hash [0-9a-f]{64}, but the checkpoint logged .* says e{64}: the chain up to that event was rewritten since\.$/,
    ],
    [
      'an event beyond the export’s head (the tail cut off)',
      9,
      'e'.repeat(64),
      /^The export ends at #5, before the checkpoint's event #9 .*cut off/,
    ],
  ])('a checkpoint mismatch is refused: %s', (_, id, hash, reason) => {
    const verdict = verifyExport(whole, checkpointOf(id as number, hash as string));
    expect(verdict.ok).toBe(false);
    expect(verdict.ok === false && verdict.refused).toMatch(reason as RegExp);
  });

  test('a whole tail rewritten consistently still verifies as a chain, but not against the checkpoint', async () => {
    // The tamperer recomputes every hash from event 4 on: only the anchored head outside the database shows it.
    const { hashEvent } = await import('./chain');
    const document = JSON.parse(whole) as { events: Record<string, unknown>[] };
    const ascending = [...document.events].reverse();
    const original = { ...(ascending.find((event) => event.id === 5) as { id: number; hash: string }) };
    for (const event of ascending.filter((candidate) => (candidate.id as number) >= 4)) {
      const previous = ascending[ascending.indexOf(event) - 1] as { hash: string };
      if (event.id === 4) event.actorName = 'Rewritten';
      event.prevHash = previous.hash;
      const { hash: _, ...content } = event;
      event.hash = hashEvent({ ...content, occurredAt: new Date(content.occurredAt as string) } as never);
    }
    const rewritten = JSON.stringify(document);
    expect(verifyExport(rewritten).ok).toBe(true);
    const verdict = verifyExport(rewritten, checkpointOf(original.id, original.hash));
    expect(verdict.ok === false && verdict.refused).toMatch(/^Event #5 has hash .*rewritten since/);
  });
});

describe('verifyExport on Node 24', () => {
  // Its JSON.parse read `{"": 1, "\u0001": 2}` with the key `\` once `{"": 1, "\\": 2}` had been read (exact-json.ts),
  // so this export, whose newest event comes first, looked edited.
  test('details keys written with escapes are read as exported, and the chain verifies', async () => {
    const own = await openAuditStore({ memory: true });
    try {
      for (const second of ['\u0001', '\\']) {
        await own.append({ type: 'auth.signin', actorSub: 'auth0|escapes', details: { '': 1, [second]: 2 } });
      }
      let text = '';
      for await (const chunk of own.exportEvents({ filters: {}, format: 'json', batchSize: 10 })) text += chunk;
      expect(verifyExport(text)).toEqual({ ok: true, result: await own.verify() });
    } finally {
      await own.close();
    }
  });
});
