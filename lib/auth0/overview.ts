import 'server-only';
import { mapWithConcurrency } from '@/lib/async/concurrency';
import { listConnectionKeys } from './connections';
import { Auth0Error } from './errors';
import type { KeysState } from './types';

/** What the connection list shows of a connection's keys without opening it. */
export interface KeySummary {
  keysState: KeysState;
  /** The algorithm of the current key, when there is one. */
  currentAlgorithm: string | null;
}

/** Most a browser may ask about at once: a screenful of rows, with room to spare. */
export const MAX_KEY_SUMMARIES = 60;
const KEY_LOOKUP_CONCURRENCY = 6;

async function summarize(id: string): Promise<KeySummary> {
  try {
    const keys = await listConnectionKeys(id);
    return {
      keysState: keys.length > 0 ? 'provisioned' : 'not-provisioned',
      currentAlgorithm: keys.find((key) => key.current)?.algorithm ?? null,
    };
  } catch (error) {
    const unsupported = error instanceof Auth0Error && error.code === 'auth0:bad_request';
    return { keysState: unsupported ? 'unsupported' : 'unknown', currentAlgorithm: null };
  }
}

/**
 * Key summaries for the connections a browser has on screen. A 10,000-connection list never triggers 10,000 key
 * lookups: the list asks only for the rows in its viewport, in batches, and caches the answers.
 */
export async function connectionKeySummaries(ids: readonly string[]): Promise<Record<string, KeySummary>> {
  const unique = [...new Set(ids)];
  const summaries = await mapWithConcurrency(unique, KEY_LOOKUP_CONCURRENCY, summarize);
  return Object.fromEntries(unique.map((id, index) => [id, summaries[index] as KeySummary]));
}
