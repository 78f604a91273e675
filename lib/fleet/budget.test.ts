import { describe, expect, it } from 'vitest';
import { type RateHeaders, rateHeadersOf, ShareBudget } from './budget';

/** A token bucket as Auth0 (and the emulator) keeps it: capacity, refill a second, headers on every answer. */
class Bucket {
  tokens: number;
  refused = 0;
  private at = 0;
  constructor(
    readonly capacity: number,
    readonly refillPerSecond: number,
  ) {
    this.tokens = capacity;
  }
  take(now: number): { allowed: boolean; headers: RateHeaders } {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.at) / 1000) * this.refillPerSecond);
    this.at = now;
    const allowed = this.tokens >= 1;
    if (allowed) this.tokens -= 1;
    else this.refused += 1;
    const untilFull = (this.capacity - this.tokens) / this.refillPerSecond;
    return {
      allowed,
      headers: {
        limit: this.capacity,
        remaining: Math.floor(this.tokens),
        reset: Math.ceil((now + untilFull * 1000) / 1000),
      },
    };
  }
}

/** Runs `requests` reads through the budget on a virtual clock; an operator spends `operatorPerSecond` meanwhile. */
function simulate(bucket: Bucket, budget: ShareBudget, requests: number, operatorPerSecond = 0, latencyMs = 20) {
  let now = 0;
  let lowest = bucket.capacity;
  let operatorRefused = 0;
  let operatorDue = 0;
  for (let sent = 0; sent < requests; ) {
    const wait = budget.waitMs(now);
    now += wait;
    while (operatorPerSecond > 0 && operatorDue <= now) {
      if (!bucket.take(operatorDue).allowed) operatorRefused += 1;
      operatorDue += 1000 / operatorPerSecond;
    }
    if (wait > 0) continue;
    budget.take(now);
    const sentAt = now;
    const answer = bucket.take(now);
    now += latencyMs;
    budget.observe(answer.headers, sentAt, now);
    lowest = Math.min(lowest, bucket.tokens);
    if (answer.allowed) sent += 1;
  }
  return { seconds: now / 1000, lowest, operatorRefused };
}

describe('ShareBudget', () => {
  it.each([
    [200, 100, 0.5],
    [50, 15, 0.5],
    [100, 10, 0.8],
    [1000, 500, 0.25],
    [40, 2, 0.5],
    [20, 40, 0.5], // refilling faster than the bucket is large
  ])(
    'capacity %i refilling %i/s, share %f: no 429, the reserve kept, about share × refill sustained',
    (capacity, refill, share) => {
      const bucket = new Bucket(capacity, refill);
      const budget = new ShareBudget({ share, maxWaitMs: 10_000 });
      const requests = 3_000;
      const { seconds, lowest } = simulate(bucket, budget, requests);
      expect(bucket.refused).toBe(0);
      expect(lowest).toBeGreaterThanOrEqual(Math.ceil(capacity * (1 - share)) - 1);
      // The floor: what the bucket's first burst (its share) does not cover, at share × refill; or, one request at a
      // time, the latency.
      const floor = Math.max((requests - capacity * share) / (refill * share), (requests * 20) / 1000);
      expect(seconds).toBeGreaterThan(floor * 0.95);
      expect(seconds).toBeLessThan(floor * 1.3);
      // Paced once it learnt the rate, never above its share of it (a latency-bound run never needs to learn it).
      expect(budget.pace() ?? 0).toBeLessThanOrEqual(refill * share * 1.0001);
      // Where the limit, not the latency, binds, it learnt its share of the rate (measured while it spent at the reserve).
      if (refill * share < 1000 / 20) expect(budget.pace() ?? 0).toBeGreaterThan(refill * share * 0.8);
    },
  );

  it('leaves an operator spending steadily at the rest of the rate without a 429', () => {
    const bucket = new Bucket(100, 20);
    const budget = new ShareBudget({ share: 0.5, maxWaitMs: 10_000 });
    const { operatorRefused } = simulate(bucket, budget, 1_000, 8);
    expect(operatorRefused).toBe(0);
    expect(bucket.refused).toBe(0);
  });

  it('waits for the reset while nothing tells the rate, and never longer than maxWaitMs', () => {
    const budget = new ShareBudget({ share: 0.5, maxWaitMs: 3_000 });
    expect(budget.waitMs(0)).toBe(0);
    budget.observe({ limit: 10, remaining: 5, reset: 0 }, 0); // a reset already past: no bound
    expect(budget.waitMs(0)).toBe(1);
    budget.observe({ limit: 10, remaining: 2, reset: 60 }, 0);
    expect(budget.waitMs(0)).toBe(3_000);
  });

  it('refuses a share outside (0, 1)', () => {
    expect(() => new ShareBudget({ share: 0, maxWaitMs: 1 })).toThrow(RangeError);
    expect(() => new ShareBudget({ share: 1, maxWaitMs: 1 })).toThrow(RangeError);
  });
});

it('rateHeadersOf reads the three headers, or nothing when one is missing or not a number', () => {
  const bag = (values: Record<string, string>) => (name: string) => values[name] ?? null;
  expect(
    rateHeadersOf(bag({ 'x-ratelimit-limit': '50', 'x-ratelimit-remaining': '7', 'x-ratelimit-reset': '1700000000' })),
  ).toEqual({
    limit: 50,
    remaining: 7,
    reset: 1_700_000_000,
  });
  expect(rateHeadersOf(bag({ 'x-ratelimit-limit': '50', 'x-ratelimit-remaining': '7' }))).toBeNull();
  expect(
    rateHeadersOf(bag({ 'x-ratelimit-limit': 'x', 'x-ratelimit-remaining': '7', 'x-ratelimit-reset': '1' })),
  ).toBeNull();
});
