import { afterAll, beforeAll, expect, test } from 'vitest';
import { type AuditStore, openAuditStore } from '@/lib/audit';
import { watchClosedEvent } from '@/lib/audit/events';
import { rotationDetailIn, rotationRowOf, rowView } from './audit-page';

let store: AuditStore;
const HOOLI = 'con_Zm2eT6xWc9FvN3jA';

beforeAll(async () => {
  store = await openAuditStore({ memory: true });
  const rotation = (requestId: string) => ({
    requestId,
    connectionId: HOOLI,
    actorSub: 'auth0|alice',
    algorithm: 'RS256',
  });
  await store.append({ type: 'rotation.requested', ...rotation('settled'), previousKid: 'old' });
  await store.append({ type: 'rotation.succeeded', ...rotation('settled'), newKid: 'k1', status: 201, durationMs: 12 });
  // Still in progress, so on a connection of its own: the store takes one pending request per connection.
  await store.append({ type: 'rotation.requested', ...rotation('pending'), connectionId: 'con_pendingPendingP' });
  await store.append({ type: 'rotation.requested', ...rotation('resettled') });
  await store.append({ type: 'rotation.unknown', ...rotation('resettled'), status: 503, message: 'unsure' });
  await store.append({ type: 'rotation.succeeded', ...rotation('resettled'), newKid: 'k3', message: 'read back' });
  await store.append({ type: 'rotation.requested', ...rotation('refused') });
  await store.append({ type: 'rotation.failed', ...rotation('refused'), status: 403, errorCode: 'auth0:forbidden' });
  await store.append({
    type: 'rotation.external',
    connectionId: HOOLI,
    actorSub: 'script',
    newKid: 'k5',
    details: { logId: '9001', date: '2025-01-01T00:00:00.000Z' },
  });
});
afterAll(() => store?.close());

test('the drawer’s row, built from a rotation’s events, is the list’s row for every outcome', async () => {
  const { events: rows } = await store.listRotations({ limit: 50 });
  expect(rows.map((row) => row.outcome)).toEqual(['external', 'failed', 'succeeded', 'in_progress', 'succeeded']);
  for (const row of rows) {
    const anchor = await store.get(row.id);
    if (!anchor) throw new Error(`no event ${row.id}`);
    const events = anchor.requestId ? await store.eventsForRequest(anchor.requestId) : [anchor];
    expect(rotationRowOf(anchor, events)).toEqual(row);
  }
});

test('an external rotation happened when Auth0’s log says, and was recorded when Keyshift read it', async () => {
  const { events: rows } = await store.listRotations({ filters: { outcome: 'external' }, limit: 1 });
  const row = rows[0];
  if (!row) throw new Error('no external row');
  const view = rowView(row, await store.get(row.id));
  expect(view.happenedAt).toBe('2025-01-01T00:00:00.000Z');
  expect(view.recordedAt).toBe(row.requestedAt.toISOString());
});

test('the watch summary after a rotation is among its events in the drawer, Keyshift’s or external', async () => {
  const { events: rows } = await store.listRotations({ limit: 50 });
  const settled = rows.find((row) => row.requestId === 'settled');
  const external = rows.find((row) => row.outcome === 'external');
  if (!settled?.outcomeEventId || !external) throw new Error('missing rows');
  const summary = (rotationEventId: number, rotationRequestId: string | null) =>
    watchClosedEvent({
      tenant: 'demo-tenant.local',
      connectionId: HOOLI,
      connectionName: 'oidc-hooli',
      rotationEventId,
      rotationRequestId,
      newKid: null,
      revokedKid: null,
      windowStart: '2025-01-01T00:00:00.000Z',
      windowEnd: '2025-01-01T00:15:00.000Z',
      succeeded: 40,
      failed: 3,
      keyFailures: 3,
      firstFailureAt: '2025-01-01T00:01:00.000Z',
      firstKeyFailureAt: '2025-01-01T00:01:00.000Z',
      lastSucceededAt: '2025-01-01T00:14:00.000Z',
      lastKeyFailureAt: '2025-01-01T00:03:00.000Z',
      complete: true,
    });
  await store.append(summary(settled.outcomeEventId, 'settled'));
  await store.append(summary(external.id, null));
  for (const row of [settled, external]) {
    const detail = await rotationDetailIn(store, row.id);
    const watch = detail?.events.filter((event) => event.type === 'rotation.watch_closed') ?? [];
    expect(watch.map((event) => event.message)).toEqual(['Sign-ins after: 40 ok, 3 failed (3 key failures).']);
  }
});
