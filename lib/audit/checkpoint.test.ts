import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  checkpointLine,
  createCheckpoints,
  logCheckpointOnShutdown,
  parseCheckpoint,
  withCheckpoints,
} from './checkpoint';
import { type AuditStore, openAuditStore } from './store';

const AT = new Date('2026-03-04T05:06:07.089Z');
let store: AuditStore | undefined;
afterEach(async () => store?.close());

const signIn = (n: number) => ({ type: 'auth.signin' as const, actorSub: `auth0|${n}` });

describe('audit checkpoints', () => {
  test('every N appends the store logs one JSON line with the head it just wrote', async () => {
    store = await openAuditStore({ memory: true });
    // Two events before the server opened the store: the count starts at the open, the head is the chain's.
    for (const n of [1, 2]) await store.append(signIn(n));
    const lines: string[] = [];
    const checkpoints = createCheckpoints({ every: 3, log: (line) => lines.push(line), now: () => AT });
    const anchored = await withCheckpoints(store, checkpoints);
    const appended = [];
    for (let n = 3; n <= 9; n++) appended.push(await anchored.append(signIn(n)));
    const heads = [appended[2], appended[5]].map((event) => ({ id: event?.id, hash: event?.hash }));
    expect(lines).toEqual(
      heads.map((head) => JSON.stringify({ keyshift: 'audit-checkpoint', ...head, at: AT.toISOString() })),
    );
    expect(lines.map(parseCheckpoint)).toEqual(
      heads.map((head) => ({ keyshift: 'audit-checkpoint', ...head, at: AT.toISOString() })),
    );
    // The unwrapped store's own reads still work through the wrapper.
    expect((await anchored.verify()).head).toEqual({ id: appended[6]?.id, hash: appended[6]?.hash });
  });

  test('at shutdown the newest head is logged: the one read at open, or the last appended since', async () => {
    store = await openAuditStore({ memory: true });
    const first = await store.append(signIn(1));
    const lines: string[] = [];
    const checkpoints = createCheckpoints({ every: 100, log: (line) => lines.push(line), now: () => AT });
    const anchored = await withCheckpoints(store, checkpoints);
    checkpoints.logNow();
    const last = await anchored.append(signIn(2));
    checkpoints.logNow();
    expect(lines).toEqual([checkpointLine(first, AT), checkpointLine(last, AT)]);
  });

  test.each(['SIGTERM', 'SIGINT'] as const)(
    '%s logs the head once, beside Next.js’s own handler, which still decides the exit',
    (signal) => {
      const lines: string[] = [];
      const checkpoints = createCheckpoints({ every: 100, log: (line) => lines.push(line), now: () => AT });
      checkpoints.seed({ id: 7, hash: 'a'.repeat(64) });
      const target = Object.assign(new EventEmitter(), { pid: 42, kill: vi.fn() });
      const nextCleanup = vi.fn();
      target.on(signal, nextCleanup);
      logCheckpointOnShutdown(checkpoints, target as unknown as NodeJS.Process);
      target.emit(signal);
      target.emit(signal);
      expect(nextCleanup).toHaveBeenCalledTimes(2);
      expect(lines).toEqual([checkpointLine({ id: 7, hash: 'a'.repeat(64) }, AT)]);
      expect(target.kill).not.toHaveBeenCalled();
    },
  );

  test('alone on the signal, the handler logs and then lets the signal stop the process as before', () => {
    const lines: string[] = [];
    const checkpoints = createCheckpoints({ every: 100, log: (line) => lines.push(line), now: () => AT });
    checkpoints.seed({ id: 1, hash: 'b'.repeat(64) });
    const target = Object.assign(new EventEmitter(), { pid: 42, kill: vi.fn() });
    logCheckpointOnShutdown(checkpoints, target as unknown as NodeJS.Process);
    target.emit('SIGTERM');
    expect(lines).toHaveLength(1);
    expect(target.kill).toHaveBeenCalledWith(42, 'SIGTERM');
  });

  test.each([
    ['a log prefix before the JSON', `2026-01-01 app[1]: ${checkpointLine({ id: 3, hash: 'c'.repeat(64) }, AT)}`, 3],
    ['not JSON', 'audit-checkpoint 3 cccc', null],
    ['a short hash', JSON.stringify({ keyshift: 'audit-checkpoint', id: 3, hash: 'abc', at: 'x' }), null],
    ['another kind of line', JSON.stringify({ keyshift: 'other', id: 3, hash: 'c'.repeat(64), at: 'x' }), null],
  ])('parseCheckpoint: %s', (_, text, id) => {
    expect(parseCheckpoint(text)?.id ?? null).toBe(id);
  });
});
