import type { ConnectionKey, RotatedKey } from '@/lib/auth0/types';

/**
 * After an ambiguous failure (timeout, 5xx, dropped connection) the keys are read back and compared with the state
 * before the call. A rotation happened exactly when the old `next` key is now current and a key unknown before is
 * now `next`; nothing moved means it did not happen.
 */
export type Settlement = { happened: true; key: RotatedKey } | { happened: false } | { happened: 'unclear' };

export function settleFromKeys(before: ConnectionKey[], after: ConnectionKey[]): Settlement {
  const beforeCurrent = before.find((key) => key.current)?.kid ?? null;
  const beforeNext = before.find((key) => key.next)?.kid ?? null;
  const afterCurrent = after.find((key) => key.current)?.kid ?? null;
  const afterNext = after.find((key) => key.next);
  const known = new Set(before.map((key) => key.kid));

  if (afterCurrent === beforeCurrent && afterNext?.kid === beforeNext) return { happened: false };
  if (afterNext && !known.has(afterNext.kid) && beforeNext !== null && afterCurrent === beforeNext) {
    const { current: _current, previous: _previous, currentSince: _since, ...key } = afterNext;
    return { happened: true, key };
  }
  // Something else changed the keys meanwhile (another tool rotated twice, say): say so rather than guess.
  return { happened: 'unclear' };
}
