/**
 * The inventory's share of a tenant's Management API rate budget. Auth0 limits each tenant with a token bucket and
 * says where it stands on every answer: `x-ratelimit-limit` (the bucket's size), `x-ratelimit-remaining`, and
 * `x-ratelimit-reset` (the UNIX second at which it is full again). Background reads must never cost an operator a
 * 429, so the inventory
 *   - spends only while more than a reserve is left: `1 - share` of the bucket is kept for operators' bursts;
 *   - once it knows the bucket's refill rate, goes at `share` of it, leaving the rest of the sustained rate too.
 * The refill rate comes from the same headers, as the largest of two lower bounds (always on the safe side): a bucket
 * `limit - remaining` (less one, for rounding) short when a request was sent is full again by `reset` (rounded up to the second), so it refills
 * at least `(limit - remaining) / (reset - sent)` a second; and over a second or more, the bucket gained at least
 * what it holds more now, plus what the inventory itself spent meanwhile (others' spending only lowers the figure).
 * A nearly full bucket says little, so pacing starts only once the bucket was read at least half the share short;
 * until then the reserve alone holds the inventory back, and its first burst (at most `share` of the bucket) is what
 * teaches it the rate.
 * Pure and clock-free: the caller passes the time.
 */

export interface BudgetOptions {
  /** The share of the tenant's budget the inventory may use, 0 < share < 1. */
  share: number;
  /** Never wait longer than this at once, whatever a reset header claims (the next answer tells more). */
  maxWaitMs: number;
}

export const DEFAULT_BUDGET: BudgetOptions = { share: 0.5, maxWaitMs: 10_000 };

export interface RateHeaders {
  limit: number;
  remaining: number;
  /** UNIX seconds. */
  reset: number;
}

/** The x-ratelimit-* headers of an answer, or null when any is missing or not a number. */
export function rateHeadersOf(get: (name: string) => string | null | undefined): RateHeaders | null {
  const read = (name: string) => {
    const raw = get(name);
    if (raw == null || raw.trim() === '') return null;
    const value = Number(raw);
    return Number.isFinite(value) ? value : null;
  };
  const limit = read('x-ratelimit-limit');
  const remaining = read('x-ratelimit-remaining');
  const reset = read('x-ratelimit-reset');
  if (limit === null || remaining === null || reset === null || limit <= 0) return null;
  return { limit, remaining, reset };
}

export class ShareBudget {
  /** The largest lower bound of the refill rate read so far (requests a second), and whether one was tight. */
  private refill = 0;
  private paced = false;
  private last: (RateHeaders & { at: number }) | null = null;
  /** The start of the current measuring window: the bucket then, and the requests taken since. */
  private window: { at: number; remaining: number; taken: number; highest: number } | null = null;
  private nextAt = 0;
  private spent = 0;

  constructor(private readonly options: BudgetOptions = DEFAULT_BUDGET) {
    if (!(options.share > 0 && options.share < 1)) throw new RangeError('share must be between 0 and 1');
  }

  /** Requests a second the inventory goes at; null while it knows no refill rate (the reserve alone holds it back). */
  pace(): number | null {
    return this.paced ? this.refill * this.options.share : null;
  }

  /** Requests this budget let through so far. */
  get used(): number {
    return this.spent;
  }

  /**
   * What an answer (a 429 included) said of the bucket: `sentAt` is when its request left, `now` when it came (ms).
   * The reset-based bound is capped at ten buckets a second, so a clock off by a little cannot make it absurd.
   */
  observe(headers: RateHeaders | null, sentAt: number, now: number = sentAt): void {
    if (!headers) return;
    const short = headers.limit - headers.remaining;
    const untilFull = headers.reset * 1000 - sentAt;
    if (short >= 2 && untilFull > 0) {
      // `remaining` is rounded down: the bucket may be up to one token less short than it says.
      this.raise((short - 1) / (untilFull / 1000), headers.limit);
    }
    if (this.window) {
      this.window.highest = Math.max(this.window.highest, headers.remaining);
      // Counted by answers, not by requests sent: `remaining` reflects the requests Auth0 has answered, and a request
      // still in flight when a window closes is spent in the next one.
      this.window.taken += 1;
    }
    if (!this.window) {
      this.window = this.newWindow(now, headers.remaining);
    } else if (now - this.window.at >= 1000 && (this.window.taken >= 20 || now - this.window.at >= 10_000)) {
      // A second at least, and 20 requests or ten seconds, so that rounding (one token) is a small part of it.
      const seconds = (now - this.window.at) / 1000;
      // What it gained plus what was spent is its refill (less others' spending, on the safe side). Never full in the
      // window: that is the rate, and pacing starts from it. Full for a while, it gained nothing then: a lower bound.
      const rate = (headers.remaining - this.window.remaining + this.window.taken - 1) / seconds;
      if (this.window.highest < headers.limit - 1 && rate > 0) {
        this.refill = rate;
        this.paced = true;
      } else {
        this.raise(rate, headers.limit);
      }
      this.window = this.newWindow(now, headers.remaining);
    }
    this.last = { ...headers, at: now };
  }

  private newWindow(at: number, remaining: number) {
    return { at, remaining, taken: 0, highest: remaining };
  }

  private raise(rate: number, limit: number): void {
    if (rate > 0) this.refill = Math.max(this.refill, Math.min(10 * limit, rate));
  }

  /** How long to wait (ms) before the next request may go; 0: now. */
  waitMs(now: number): number {
    const paced = Math.max(0, this.nextAt - now);
    return Math.min(this.options.maxWaitMs, Math.max(paced, this.reserveWait(now)));
  }

  /** Sends nothing before `at` (ms): a 429 said the bucket is empty until then. */
  holdUntil(at: number): void {
    this.nextAt = Math.max(this.nextAt, at);
  }

  /** Counts one request sent at `now`. */
  take(now: number): void {
    this.spent += 1;
    const pace = this.pace();
    if (pace) this.nextAt = Math.max(this.nextAt, now) + 1000 / pace;
    // Until the next answer, the bucket is one token lower than last read.
    if (this.last) this.last = { ...this.last, remaining: this.last.remaining - 1 };
  }

  /** While the bucket is at or below the reserve (as last read, refilled since at the known rate): until it is above. */
  private reserveWait(now: number): number {
    if (!this.last) return 0;
    const reserve = Math.ceil(this.last.limit * (1 - this.options.share));
    const refilled = Math.min(this.last.limit, this.last.remaining + ((now - this.last.at) / 1000) * this.refill);
    if (refilled > reserve) return 0;
    // No rate known: wait for the reset the headers promise (bounded by maxWaitMs, then read again).
    if (this.refill <= 0) return Math.max(1, this.last.reset * 1000 - now);
    return Math.ceil(((reserve + 1 - refilled) / this.refill) * 1000);
  }
}
