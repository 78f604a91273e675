/** How much one key may spend: `burst` at once, refilled at `perSecond`. */
export interface BucketLimits {
  burst: number;
  perSecond: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterMs: number };

export interface KeyedBucketsOptions {
  now?: () => number;
  /** Past this many keys, buckets that have refilled completely are forgotten (they hold nothing a new one would not). */
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * One token bucket per key (a user's subject), in this process. A refused take spends nothing, so a caller that
 * waits the time it was told is served. A cost above the burst is charged as the whole burst: it waits for a full
 * bucket instead of never being served.
 */
export class KeyedTokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly maxKeys: number;

  constructor(
    private readonly limits: BucketLimits,
    options: KeyedBucketsOptions = {},
  ) {
    if (!(limits.burst >= 1 && limits.perSecond > 0)) {
      throw new Error(
        `A token bucket needs a burst of at least 1 and a positive refill rate (got ${JSON.stringify(limits)})`,
      );
    }
    this.now = options.now ?? Date.now;
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  take(key: string, cost = 1): TakeResult {
    const time = this.now();
    const bucket = this.refilled(key, time);
    const charge = Math.min(Math.max(cost, 0), this.limits.burst);
    if (bucket.tokens >= charge) {
      bucket.tokens -= charge;
      return { ok: true };
    }
    // Less a hair: fractional tokens carry float error, which must not round a 1 ms wait up to 2.
    return { ok: false, retryAfterMs: Math.ceil(((charge - bucket.tokens) / this.limits.perSecond) * 1000 - 1e-6) };
  }

  private refilled(key: string, time: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.forgetFull(time);
      bucket = { tokens: this.limits.burst, updatedAt: time };
      this.buckets.set(key, bucket);
      return bucket;
    }
    // A clock that steps back refills nothing rather than draining.
    const elapsed = Math.max(0, time - bucket.updatedAt);
    bucket.tokens = Math.min(this.limits.burst, bucket.tokens + (elapsed / 1000) * this.limits.perSecond);
    bucket.updatedAt = Math.max(bucket.updatedAt, time);
    return bucket;
  }

  private forgetFull(time: number): void {
    for (const [key, bucket] of this.buckets) {
      const tokens = bucket.tokens + (Math.max(0, time - bucket.updatedAt) / 1000) * this.limits.perSecond;
      if (tokens >= this.limits.burst) this.buckets.delete(key);
    }
  }

  /** Keys held now (tests). */
  get size(): number {
    return this.buckets.size;
  }
}
