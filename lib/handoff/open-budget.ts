import { type KeyedBucketsOptions, KeyedTokenBuckets, type TakeResult } from '@/lib/async/token-bucket';

/**
 * Public opens are not signed in, so they get their own budget: per client address (a guesser or a loop is slowed
 * before it reaches the database) and for everyone together (each served open is one Auth0 read, taken from the
 * tenant's rate limit that rotations need). Without trusted proxy hops there is no address: then only the shared cap
 * applies (one key for every unknown client would let one of them lock out all the others).
 */
export const HANDOFF_OPEN_LIMITS = {
  perClient: { burst: 20, perSecond: 0.5 },
  everyone: { burst: 60, perSecond: 2 },
};

export function createOpenBudget(
  limits = HANDOFF_OPEN_LIMITS,
  options: KeyedBucketsOptions = {},
): (ip: string | null) => TakeResult {
  const perClient = new KeyedTokenBuckets(limits.perClient, options);
  const everyone = new KeyedTokenBuckets(limits.everyone, options);
  return (ip) => {
    if (ip !== null) {
      const own = perClient.take(ip);
      if (!own.ok) return own;
    }
    return everyone.take('all');
  };
}
