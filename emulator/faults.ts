import { z } from 'zod';

const count = z.number().int().positive().default(1);

/** `POST /__emulator/faults` bodies. `count` is how many of the route's next calls the fault takes (default 1). */
export function faultSchema(routeKeys: readonly string[]) {
  const route = z.string().refine((key) => routeKeys.includes(key), {
    message: `route must be one of: ${routeKeys.join(' | ')}`,
  });
  return z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('status'),
      route,
      status: z.literal([408, 429, 500, 502, 503, 504]),
      count,
    }),
    z.object({ kind: z.literal('latency'), route, ms: z.number().int().min(0).max(600_000), count }),
    z.object({ kind: z.literal('drop'), route, count }),
    // Two minutes by default: past the SDK's 60 s default timeout and any sane client timeout.
    z.object({ kind: z.literal('hang'), route, ms: z.number().int().min(0).max(3_600_000).default(120_000), count }),
    z.object({ kind: z.literal('rotate-then-500'), route, count }),
    z.object({ kind: z.literal('malformed-json'), route, count }),
    // Not queued: takes effect at once (every token issued so far is rejected).
    z.object({ kind: z.literal('expire-tokens') }),
  ]);
}

export type FaultRequest = z.infer<ReturnType<typeof faultSchema>>;
export type Fault = Exclude<FaultRequest, { kind: 'expire-tokens' }>;

/** Armed faults, consumed first-in first-out per route. */
export class FaultBook {
  private faults: Array<Fault & { remaining: number }> = [];

  arm(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.count });
  }

  /** The fault that takes this call, if any (and spends one of its count). */
  take(routeKey: string): Fault | undefined {
    const index = this.faults.findIndex((fault) => fault.route === routeKey);
    const fault = this.faults[index];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return fault;
  }

  list() {
    return this.faults.map((fault) => ({ ...fault }));
  }

  clear(): void {
    this.faults = [];
  }
}

/**
 * Requests per route key, rotations actually performed per connection, and the most rotate requests of one
 * connection ever in flight at once (from arrival until both the response is closed and the handler is done), which
 * is how tests see whether a client let two rotations of a connection overlap.
 */
export class CallCounter {
  private calls = new Map<string, number>();
  private rotations = new Map<string, number>();
  private rotatesInFlight = new Map<string, number>();
  private maxRotatesInFlight = new Map<string, number>();
  private refusedByRateLimit = 0;

  count(routeKey: string): void {
    this.calls.set(routeKey, (this.calls.get(routeKey) ?? 0) + 1);
  }

  /** A Management API request the tenant's bucket refused (429), as opposed to a 429 fault. */
  rateLimited(): void {
    this.refusedByRateLimit += 1;
  }

  rotated(connectionId: string): void {
    this.rotations.set(connectionId, (this.rotations.get(connectionId) ?? 0) + 1);
  }

  /** A rotate request for the connection arrived; call the returned function once when it is over. */
  rotateStarted(connectionId: string): () => void {
    const now = (this.rotatesInFlight.get(connectionId) ?? 0) + 1;
    this.rotatesInFlight.set(connectionId, now);
    this.maxRotatesInFlight.set(connectionId, Math.max(now, this.maxRotatesInFlight.get(connectionId) ?? 0));
    return () => this.rotatesInFlight.set(connectionId, (this.rotatesInFlight.get(connectionId) ?? 1) - 1);
  }

  snapshot(): Record<string, number | Record<string, number>> {
    return {
      ...Object.fromEntries(this.calls),
      rotations: Object.fromEntries(this.rotations),
      max_concurrent_rotations: Object.fromEntries(this.maxRotatesInFlight),
      rate_limited: this.refusedByRateLimit,
    };
  }

  /** Requests still in flight keep counting down, so the next maximum is right. */
  reset(): void {
    this.calls.clear();
    this.rotations.clear();
    this.maxRotatesInFlight.clear();
    this.refusedByRateLimit = 0;
  }
}
