/** What Auth0's `x-ratelimit-*` headers say, read from whatever header bag the SDK hands back. */
interface HeaderBag {
  get(name: string): string | null;
}

export interface PacingOptions {
  /** Share of the limit a long listing leaves for everyone else (rotations must not meet a 429 because of it). */
  reserveFraction: number;
  minReserve: number;
  /** Never sleep longer than this on one page, whatever the reset header claims. */
  maxPauseMs: number;
  /** When the budget is low but no reset time came with it. */
  fallbackPauseMs: number;
}

export const DEFAULT_PACING: PacingOptions = {
  reserveFraction: 0.1,
  minReserve: 2,
  maxPauseMs: 10_000,
  fallbackPauseMs: 1_000,
};

function numberHeader(headers: HeaderBag, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw == null || raw.trim() === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * How long to wait before asking for the next page: nothing while the remaining budget is above the reserve,
 * else until `x-ratelimit-reset` (UNIX seconds). Pausing here, rather than running into 429s and letting the SDK
 * retry, keeps a 100-page listing from starving the rotations other operators are doing at the same time.
 */
export function rateLimitPause(
  headers: HeaderBag | undefined,
  nowMs: number,
  options: PacingOptions = DEFAULT_PACING,
): number {
  if (!headers) return 0;
  const remaining = numberHeader(headers, 'x-ratelimit-remaining');
  if (remaining === undefined) return 0;
  const limit = numberHeader(headers, 'x-ratelimit-limit');
  const reserve = Math.max(options.minReserve, Math.ceil((limit ?? 0) * options.reserveFraction));
  if (remaining > reserve) return 0;
  const reset = numberHeader(headers, 'x-ratelimit-reset');
  const wait = reset === undefined ? options.fallbackPauseMs : reset * 1000 - nowMs;
  return Math.min(options.maxPauseMs, Math.max(0, Math.ceil(wait)));
}
