import { expect, test } from 'vitest';
import { KeyedTokenBuckets } from './token-bucket';

function setup(limits = { burst: 5, perSecond: 2 }, maxKeys?: number) {
  let time = 1_000_000;
  const clock = {
    now: () => time,
    advance: (ms: number) => {
      time += ms;
    },
  };
  return { buckets: new KeyedTokenBuckets(limits, { now: clock.now, maxKeys }), clock };
}

test('a burst is served at once, then the next take waits for the refill, and is told how long', () => {
  const { buckets, clock } = setup();
  for (let n = 0; n < 5; n++) expect(buckets.take('alice')).toEqual({ ok: true });
  expect(buckets.take('alice')).toEqual({ ok: false, retryAfterMs: 500 });
  clock.advance(499);
  expect(buckets.take('alice')).toEqual({ ok: false, retryAfterMs: 1 });
  clock.advance(1);
  expect(buckets.take('alice')).toEqual({ ok: true });
});

test('each key has its own bucket: one user spending everything leaves the others theirs', () => {
  const { buckets } = setup();
  while (buckets.take('bob').ok) {
    // Bob hammers.
  }
  expect(buckets.take('alice', 5)).toEqual({ ok: true });
});

test.each([
  ['a cost within the burst', 3, { ok: true }, { ok: false, retryAfterMs: 500 }],
  ['a cost of the whole burst', 5, { ok: true }, { ok: false, retryAfterMs: 2_500 }],
  ['a cost above the burst is charged as the burst', 60, { ok: true }, { ok: false, retryAfterMs: 2_500 }],
  ['a cost of zero is always served', 0, { ok: true }, { ok: true }],
])('%s', (_, cost, first, second) => {
  const { buckets } = setup();
  expect(buckets.take('alice', cost)).toEqual(first);
  expect(buckets.take('alice', cost)).toEqual(second);
});

test('a refused take spends nothing: waiting the time given is enough', () => {
  const { buckets, clock } = setup();
  buckets.take('alice', 5);
  for (let n = 0; n < 100; n++) expect(buckets.take('alice', 2).ok).toBe(false);
  const refused = buckets.take('alice', 2);
  expect(refused).toEqual({ ok: false, retryAfterMs: 1_000 });
  clock.advance(1_000);
  expect(buckets.take('alice', 2)).toEqual({ ok: true });
});

test('the bucket never holds more than the burst, however long it rests', () => {
  const { buckets, clock } = setup();
  buckets.take('alice');
  clock.advance(3_600_000);
  expect(buckets.take('alice', 5)).toEqual({ ok: true });
  expect(buckets.take('alice').ok).toBe(false);
});

test('a clock stepping back refills nothing and drains nothing', () => {
  const { buckets, clock } = setup();
  buckets.take('alice', 4);
  clock.advance(-60_000);
  expect(buckets.take('alice')).toEqual({ ok: true });
  expect(buckets.take('alice')).toEqual({ ok: false, retryAfterMs: 500 });
});

test('past maxKeys, refilled buckets are forgotten and spent ones kept', () => {
  const { buckets, clock } = setup({ burst: 5, perSecond: 2 }, 3);
  buckets.take('spent', 5);
  buckets.take('a');
  buckets.take('b');
  clock.advance(1_000);
  buckets.take('c');
  expect(buckets.size).toBe(2);
  expect(buckets.take('spent', 5).ok).toBe(false);
});

test.each([[{ burst: 0, perSecond: 1 }], [{ burst: 5, perSecond: 0 }], [{ burst: Number.NaN, perSecond: 1 }]])(
  'refuses limits that could never serve anything: %j',
  (limits) => {
    expect(() => new KeyedTokenBuckets(limits)).toThrow(/burst of at least 1/);
  },
);
