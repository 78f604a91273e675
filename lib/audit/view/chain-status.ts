import 'server-only';
// The audit page's "chain verified" badge. Verifying reads every event, so a process runs it once for all requests.
import { processWide } from '@/lib/async/process-wide';
import { type ThrottledTask, throttledSingleFlight } from '@/lib/async/throttle';
import { auditStore } from '@/lib/audit';
import type { ChainStatus } from './types';

/** Verifying reads the whole chain: one run at a time, and a result reused for CHAIN_CACHE_MS. */
const CHAIN_CACHE_MS = 30_000;
interface ChainState {
  last: ChainStatus | null;
  task: ThrottledTask<ChainStatus>;
}

async function runVerify(): Promise<ChainStatus> {
  const result = await (await auditStore()).verify();
  const checkedAt = new Date().toISOString();
  return result.ok || !result.firstBroken
    ? { ok: true, checked: result.checked, checkedAt, head: result.head ?? null }
    : { ok: false, checked: result.checked, checkedAt, firstBroken: result.firstBroken };
}

function chain(): ChainState {
  return processWide('chain-verification', () => {
    const state: ChainState = {
      last: null,
      task: throttledSingleFlight(
        async () => {
          state.last = await runVerify();
          return state.last;
        },
        { minIntervalMs: CHAIN_CACHE_MS },
      ),
    };
    return state;
  });
}

/** Verifies the chain (or joins the verification running, or reuses one finished in the last 30 s). */
export async function chainStatus(): Promise<ChainStatus> {
  const state = chain();
  // Nothing to reuse (the last run failed within the interval): run now rather than answer nothing.
  return state.task.trigger() ?? state.last ?? runVerify();
}

/** The latest verification, if any, without running one. */
export function lastChainStatus(): ChainStatus | null {
  return chain().last;
}
