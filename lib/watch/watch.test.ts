import { afterEach, describe, expect, test } from 'vitest';
import type { AuditStore } from '@/lib/audit';
import { type RotationContext, rotationRequestedEvent, rotationSucceededEvent } from '@/lib/audit/events';
import { auditBackends, type Scratch } from '@/lib/audit/test-backends';
import { deferred } from '@/lib/testing/deferred';
import type { SignInEvent } from './tally';
import { createSignInWatcher, type WatchDependencies } from './watch';

const backends = await auditBackends('lib/watch/watch.test.ts');

const CONNECTION = 'con_Q7tLk2vMx9RbW4sE';
const WINDOW_MS = 60_000;
const KID_INVALID = 'invalid_client: The client_assertion JWT kid is invalid';

function rotationContext(requestId: string): RotationContext {
  return {
    tenant: 'demo-tenant.local',
    requestId,
    user: { sub: 'auth0|alice', email: 'alice@example.com', name: 'Alice Rotator' },
    connectionId: CONNECTION,
    connectionName: 'okta-acme',
    algorithm: 'RS256',
    clientIp: null,
    userAgent: null,
  };
}

/** A rotation in the trail as Keyshift records one: requested (naming the key it promotes), then succeeded. */
async function rotate(store: AuditStore, requestId: string) {
  const rotation = rotationContext(requestId);
  await store.append(rotationRequestedEvent(rotation, 'kid-old', 'kid-promoted'));
  return store.append(rotationSucceededEvent(rotation, { previousKid: 'kid-old', newKid: 'kid-new', durationMs: 0 }));
}

/** The tenant's sign-in log: newest first, one page; `reads` counts the calls. */
function signInLog() {
  const events: SignInEvent[] = [];
  let seq = 0;
  const log = {
    events,
    reads: 0,
    add(type: 's' | 'f', at: number, description: string | null = null) {
      events.push({ logId: `log${++seq}`, date: new Date(at).toISOString(), type, description });
    },
    read: async (_connectionId: string, _page: number) => {
      log.reads += 1;
      return { events: [...events].reverse(), more: false };
    },
  };
  return log;
}

function dependencies(store: AuditStore, overrides: Partial<WatchDependencies> = {}): WatchDependencies {
  return {
    store: async () => store,
    tenant: 'demo-tenant.local',
    readSignInPage: async () => ({ events: [], more: false }),
    now: Date.now,
    windowMs: WINDOW_MS,
    pollMs: 5_000,
    readIntervalMs: 4_000,
    maxPages: 5,
    closeMaxPages: 20,
    lookbackMs: 24 * 3600_000,
    waitMs: 5_000,
    describeError: (error) => String(error),
    ...overrides,
  };
}

async function summaries(store: AuditStore) {
  return (await store.list({ filters: { types: ['rotation.watch_closed'] } })).events;
}

describe.each(backends)('the sign-in watch on %s', (_, backend) => {
  const it = backend.available ? test : test.skip;
  let scratch: Scratch | undefined;
  afterEach(async () => {
    await scratch?.close();
    scratch = undefined;
  });

  it('window rules: nothing before a rotation; watching inside the window; closed after; nothing past the lookback', async () => {
    scratch = await backend.fresh();
    const { store } = scratch;
    let now = Date.now();
    const log = signInLog();
    const watcher = createSignInWatcher(dependencies(store, { now: () => now, readSignInPage: log.read }));
    expect(await watcher.watch(CONNECTION)).toMatchObject({ state: 'none' });

    const rotation = await rotate(store, 'req-window');
    const at = rotation.occurredAt.getTime();
    log.add('s', at - 1_000); // before the rotation
    log.add('s', at + 1_000);
    log.add('f', at + 2_000, KID_INVALID);
    now = at + 10_000;
    const watching = await watcher.watch(CONNECTION);
    expect(watching).toMatchObject({
      state: 'watching',
      rotation: { eventId: rotation.id, revokedKid: 'kid-old', promotedKid: 'kid-promoted', newKid: 'kid-new' },
      counts: { succeeded: 1, failed: 1, keyFailures: 1, firstKeyFailureAt: new Date(at + 2_000).toISOString() },
      latestFailures: [{ description: KID_INVALID, keyFailure: true }],
      idpMode: 'unknown',
      readError: null,
    });
    expect(watching.state !== 'none' && watching.windowEnd).toBe(new Date(at + WINDOW_MS).toISOString());

    log.add('s', at + WINDOW_MS + 1); // after the window: not counted
    now = at + WINDOW_MS;
    expect(await watcher.watch(CONNECTION)).toMatchObject({
      state: 'closed',
      counts: { succeeded: 1, failed: 1, keyFailures: 1 },
    });
    expect(await summaries(store)).toHaveLength(1);

    now = at + WINDOW_MS + 24 * 3600_000;
    expect(await watcher.watch(CONNECTION)).toMatchObject({ state: 'none' });
  });

  it('many pages polling at once: one read of the logs per interval, the rest share it', async () => {
    scratch = await backend.fresh();
    const { store } = scratch;
    const rotation = await rotate(store, 'req-throttle');
    let now = rotation.occurredAt.getTime() + 1_000;
    const log = signInLog();
    const watcher = createSignInWatcher(dependencies(store, { now: () => now, readSignInPage: log.read }));
    await Promise.all(Array.from({ length: 10 }, () => watcher.watch(CONNECTION)));
    expect(log.reads).toBe(1);
    now += 3_999;
    log.add('s', now);
    expect(await watcher.watch(CONNECTION)).toMatchObject({ counts: { succeeded: 0 } });
    expect(log.reads).toBe(1);
    now += 1;
    expect(await watcher.watch(CONNECTION)).toMatchObject({ counts: { succeeded: 1 } });
    expect(log.reads).toBe(2);
  });

  it('pages asking at once after the window closed share one close: one read, one summary', async () => {
    scratch = await backend.fresh();
    const { store } = scratch;
    const rotation = await rotate(store, 'req-close-once');
    const log = signInLog();
    log.add('s', rotation.occurredAt.getTime() + 1_000);
    const now = rotation.occurredAt.getTime() + WINDOW_MS + 1;
    const watcher = createSignInWatcher(dependencies(store, { now: () => now, readSignInPage: log.read }));
    const views = await Promise.all(Array.from({ length: 8 }, () => watcher.watch(CONNECTION)));
    expect(views.every((view) => view.state === 'closed')).toBe(true);
    expect(log.reads).toBe(1);
    expect(await summaries(store)).toHaveLength(1);
  });

  it('a failed read is a status with the counts read before, and the next interval tries again', async () => {
    scratch = await backend.fresh();
    const { store } = scratch;
    const rotation = await rotate(store, 'req-fail');
    let now = rotation.occurredAt.getTime() + 1_000;
    let fail = true;
    const watcher = createSignInWatcher(
      dependencies(store, {
        now: () => now,
        readSignInPage: async () => {
          if (fail) throw new Error('Auth0 did not answer in time.');
          return { events: [], more: false };
        },
      }),
    );
    expect(await watcher.watch(CONNECTION)).toMatchObject({
      state: 'watching',
      readError: 'Error: Auth0 did not answer in time.',
    });
    fail = false;
    now += 4_000;
    expect(await watcher.watch(CONNECTION)).toMatchObject({ state: 'watching', readError: null });
  });

  it('two closers racing for one window append one summary; a restart appends none', async () => {
    scratch = await backend.fresh();
    const first = scratch.store;
    const second = await scratch.secondStore();
    const rotation = await rotate(first, 'req-race');
    const at = rotation.occurredAt.getTime();
    const log = signInLog();
    log.add('s', at + 1_000);
    log.add('f', at + 2_000, KID_INVALID);
    const now = () => at + WINDOW_MS + 5_000;

    // Both have read the logs before either appends: the race the unique index settles.
    let reached = 0;
    const bothRead = deferred();
    const racingRead: WatchDependencies['readSignInPage'] = async (connectionId, page) => {
      reached += 1;
      if (reached === 2) bothRead.resolve();
      await bothRead.promise;
      return log.read(connectionId, page);
    };
    const [one, two] = await Promise.all([
      createSignInWatcher(dependencies(first, { now, readSignInPage: racingRead })).closeDue(),
      createSignInWatcher(dependencies(second, { now, readSignInPage: racingRead })).closeDue(),
    ]);
    expect(one + two).toBe(1);

    const restarted = createSignInWatcher(dependencies(second, { now, readSignInPage: log.read }));
    expect(await restarted.closeDue()).toBe(0);
    expect(await restarted.watch(CONNECTION)).toMatchObject({
      state: 'closed',
      counts: { succeeded: 1, failed: 1, keyFailures: 1 },
    });

    const [summary, ...more] = await summaries(first);
    expect(more).toEqual([]);
    expect(summary).toMatchObject({
      requestId: 'req-race',
      connectionId: CONNECTION,
      message: 'Sign-ins after: 1 ok, 1 failed (1 key failure).',
      details: {
        rotationEventId: rotation.id,
        succeeded: 1,
        failed: 1,
        keyFailures: 1,
        firstFailureAt: new Date(at + 2_000).toISOString(),
        windowStart: new Date(at).toISOString(),
        windowEnd: new Date(at + WINDOW_MS).toISOString(),
      },
    });
    expect(await first.verify()).toMatchObject({ ok: true });
  });

  it('closes a window that ended while the app was down, within the lookback; an open one waits', async () => {
    scratch = await backend.fresh();
    const { store } = scratch;
    const old = await rotate(store, 'req-down');
    const at = old.occurredAt.getTime();
    const watcher = createSignInWatcher(dependencies(store, { now: () => at + WINDOW_MS - 1 }));
    expect(await watcher.closeDue()).toBe(0);
    const later = createSignInWatcher(dependencies(store, { now: () => at + 3 * 3600_000 }));
    expect(await later.closeDue()).toBe(1);
    expect(await later.closeDue()).toBe(0);
    expect(await summaries(store)).toHaveLength(1);
  });
});
