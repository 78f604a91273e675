import { describe, expect, test } from 'vitest';
import { processWide, processWidePromise } from './process-wide';

describe('processWide', () => {
  test('creates once per name', () => {
    let created = 0;
    const first = processWide('test-once', () => ({ n: ++created }));
    const again = processWide('test-once', () => ({ n: ++created }));
    expect(again).toBe(first);
    expect(created).toBe(1);
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('keyshift.test-once')]).toBe(first);
  });

  test('a rejected promise is forgotten, so the next call opens again', async () => {
    let opens = 0;
    const failing = processWidePromise('test-retry', async () => {
      opens++;
      throw new Error('not up yet');
    });
    await expect(failing).rejects.toThrow('not up yet');
    const second = processWidePromise('test-retry', async () => ++opens);
    await expect(second).resolves.toBe(2);
    expect(processWidePromise('test-retry', async () => ++opens)).toBe(second);
  });
});
