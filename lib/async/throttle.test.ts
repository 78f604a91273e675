import { describe, expect, test } from 'vitest';
import { deferred } from '@/lib/testing/deferred';
import { throttledSingleFlight, within } from './throttle';

describe('throttledSingleFlight', () => {
  test('callers during a run share it; the next run starts only after the interval', async () => {
    let clock = 0;
    let runs = 0;
    let gate = deferred<number>();
    const task = throttledSingleFlight(
      () => {
        runs += 1;
        return gate.promise;
      },
      { minIntervalMs: 10_000, now: () => clock },
    );
    const first = task.trigger();
    const joined = task.trigger();
    expect(joined).toBe(first);
    gate.resolve(1);
    await expect(first).resolves.toBe(1);
    expect(runs).toBe(1);

    clock = 9_999;
    expect(task.trigger()).toBeNull();
    clock = 10_000;
    gate = deferred<number>();
    const second = task.trigger();
    expect(second).not.toBeNull();
    gate.resolve(2);
    await expect(second).resolves.toBe(2);
    expect(runs).toBe(2);
  });

  test('deferUntil holds the next run back, and never brings it forward', async () => {
    let clock = 0;
    const task = throttledSingleFlight(async () => 'done', { minIntervalMs: 1_000, now: () => clock });
    await task.trigger();
    task.deferUntil(60_000);
    task.deferUntil(5_000);
    clock = 59_999;
    expect(task.trigger()).toBeNull();
    clock = 60_000;
    await expect(task.trigger()).resolves.toBe('done');
  });

  test('a failed run frees the task for the next interval', async () => {
    let clock = 0;
    let fail = true;
    const task = throttledSingleFlight(
      async () => {
        if (fail) throw new Error('boom');
        return 'ok';
      },
      { minIntervalMs: 100, now: () => clock },
    );
    await expect(task.trigger()).rejects.toThrow('boom');
    fail = false;
    clock = 100;
    await expect(task.trigger()).resolves.toBe('ok');
  });
});

describe('within', () => {
  test.each([
    ['settles in time', () => Promise.resolve('value'), 'value'],
    ['never settles', () => new Promise<string>(() => {}), 'fallback'],
  ])('%s', async (_label, work, expected) => {
    await expect(within(work(), 20, 'fallback')).resolves.toBe(expected);
  });

  test('a rejection in time is passed on', async () => {
    await expect(within(Promise.reject(new Error('boom')), 20, 'fallback')).rejects.toThrow('boom');
  });
});
