import { apiError, type HttpError } from './http';

export interface RateLimitConfig {
  capacity: number;
  refillPerSecond: number;
  /**
   * Whether 429s carry `Retry-After`. Auth0 documents only the `x-ratelimit-*` headers for the Management
   * API, so this is *unconfirmed* and off by default; turn it on to test clients against both behaviours.
   */
  retryAfter?: boolean;
}

/** Generous enough that no demo or test trips it by accident; tests shrink it to provoke 429s. */
export const DEFAULT_RATE_LIMIT: RateLimitConfig = { capacity: 200, refillPerSecond: 100 };

export interface RateLimitDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

/** One token bucket for the whole tenant, like Auth0's global Management API limit. */
export class TokenBucket {
  private tokens: number;
  private updatedAt = Date.now();

  constructor(private config: RateLimitConfig) {
    this.tokens = config.capacity;
  }

  get settings(): RateLimitConfig {
    return { ...this.config };
  }

  configure(config: RateLimitConfig): void {
    this.config = config;
    this.tokens = config.capacity;
    this.updatedAt = Date.now();
  }

  take(): RateLimitDecision {
    this.refill();
    const allowed = this.tokens >= 1;
    if (allowed) this.tokens -= 1;
    return { allowed, headers: this.headers(allowed) };
  }

  /** Headers describing the bucket without spending from it (for faulted responses). */
  peek(): Record<string, string> {
    this.refill();
    return this.headers(true);
  }

  private refill(): void {
    const now = Date.now();
    const refilled = ((now - this.updatedAt) / 1000) * this.config.refillPerSecond;
    this.tokens = Math.min(this.config.capacity, this.tokens + refilled);
    this.updatedAt = now;
  }

  /**
   * `x-ratelimit-reset` is the UNIX second when the bucket is full again; on a 429 it is when the next
   * request will be accepted, which is what a client waiting to retry needs.
   */
  private headers(allowed: boolean): Record<string, string> {
    const { capacity, refillPerSecond } = this.config;
    const secondsUntil = allowed ? (capacity - this.tokens) / refillPerSecond : (1 - this.tokens) / refillPerSecond;
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(capacity),
      'x-ratelimit-remaining': String(Math.max(0, Math.floor(this.tokens))),
      'x-ratelimit-reset': String(Math.ceil((Date.now() + secondsUntil * 1000) / 1000)),
    };
    if (!allowed && this.config.retryAfter) headers['retry-after'] = String(Math.max(1, Math.ceil(secondsUntil)));
    return headers;
  }
}

export function tooManyRequests(headers: Record<string, string>): HttpError {
  const error = apiError(429, 'Global limit has been reached', 'too_many_requests');
  error.reply.headers = headers;
  return error;
}
