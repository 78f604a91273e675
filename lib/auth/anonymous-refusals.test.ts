import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { createRefusalLog } from './anonymous-refusals';

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

function setup() {
  const lines: string[] = [];
  const log = createRefusalLog({ intervalMs: 10_000, write: (line) => lines.push(line), now: () => Date.now() });
  return { log, lines };
}

const refusal = (n: number) => ({ action: `action${n}`, ip: `203.0.113.${n}` });

test('the first refusal is written at once', () => {
  const { log, lines } = setup();
  log.note(refusal(1));
  expect(lines).toEqual([
    '[keyshift] refused 1 request without a session (not audited) {"refused":1,"latestAction":"action1","latestIp":"203.0.113.1"}',
  ]);
});

test('a burst of 1,000 is one line at once and one summary when the interval ends', () => {
  const { log, lines } = setup();
  for (let n = 0; n < 1_000; n++) {
    log.note(refusal(n % 250));
    vi.advanceTimersByTime(5);
  }
  // 5 s in: the first line only.
  expect(lines).toHaveLength(1);
  vi.advanceTimersByTime(4_999);
  expect(lines).toHaveLength(1);
  vi.advanceTimersByTime(1);
  expect(lines).toHaveLength(2);
  expect(lines[1]).toMatch(/^\[keyshift\] refused 999 requests without a session in the last 10 s \(not audited\) /);
  expect(lines[1]).toContain('"latestAction":"action249"');
  // Nothing since: no more lines.
  vi.advanceTimersByTime(60_000);
  expect(lines).toHaveLength(2);
});

test.each([
  ['10 s after the last line, a refusal is written at once', 10_000, 1],
  ['sooner, it waits for the interval to end', 9_999, 0],
])('%s', (_, after, immediately) => {
  const { log, lines } = setup();
  log.note(refusal(1));
  vi.advanceTimersByTime(after);
  log.note(refusal(2));
  expect(lines).toHaveLength(1 + immediately);
  vi.advanceTimersByTime(10_000);
  expect(lines).toHaveLength(2);
});

test('flush writes what was counted now, and nothing when nothing was', () => {
  const { log, lines } = setup();
  log.flush();
  expect(lines).toEqual([]);
  log.note(refusal(1));
  log.note(refusal(2));
  log.flush();
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain('"refused":1');
  vi.advanceTimersByTime(60_000);
  expect(lines).toHaveLength(2);
});

test('a user agent or header is never part of the line', () => {
  const { log, lines } = setup();
  log.note({ action: 'rotateKeysAction', ip: null, userAgent: 'secret\n[keyshift] forged' } as never);
  expect(lines.join('')).not.toContain('forged');
});
