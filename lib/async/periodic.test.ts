import { afterEach, describe, expect, test, vi } from 'vitest';
import { deferred } from '@/lib/testing/deferred';
import { runPeriodically } from './periodic';

afterEach(() => {
  vi.useRealTimers();
});

describe('runPeriodically', () => {
  test('runs at once and then every interval, not only at start', async () => {
    vi.useFakeTimers();
    const task = vi.fn(async () => {});
    const periodic = runPeriodically(task, { everyMs: 60_000, onError: () => {} });
    expect(task).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(task).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(task).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(task).toHaveBeenCalledTimes(4);
    periodic.stop();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(task).toHaveBeenCalledTimes(4);
  });

  test('a run still going when the next is due is not joined by a second one', async () => {
    vi.useFakeTimers();
    const slow = deferred();
    const task = vi.fn(() => slow.promise);
    const periodic = runPeriodically(task, { everyMs: 1_000, onError: () => {} });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(task).toHaveBeenCalledTimes(1);
    slow.resolve();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(task).toHaveBeenCalledTimes(2);
    periodic.stop();
  });

  test('a failed run is reported and the next tick tries again', async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    const task = vi.fn(async () => {
      throw new Error('db down');
    });
    const periodic = runPeriodically(task, { everyMs: 1_000, onError: (error) => errors.push(error) });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(task).toHaveBeenCalledTimes(2);
    expect(errors).toHaveLength(2);
    periodic.stop();
  });

  test('the timer does not keep the process alive', () => {
    const unref = vi.fn();
    const periodic = runPeriodically(async () => {}, {
      everyMs: 1_000,
      onError: () => {},
      setInterval: () => ({ unref }),
      clearInterval: () => {},
    });
    expect(unref).toHaveBeenCalledTimes(1);
    periodic.stop();
  });
});
