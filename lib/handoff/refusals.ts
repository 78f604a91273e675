/** A refused open of one link is recorded at most once per this interval (per process). */
export const REFUSAL_RECORD_INTERVAL_MS = 10 * 60_000;
/** Links remembered at most; the oldest record is forgotten first (it is then recorded again: never fewer). */
export const REFUSALS_KEPT = 1_000;

/**
 * Decides which refused opens of a known link reach the audit trail: the first one, then one per interval. The trail
 * keeps that someone still opens a revoked or expired link, and when, without one event per request.
 */
export function createRefusalRecorder({
  intervalMs = REFUSAL_RECORD_INTERVAL_MS,
  kept = REFUSALS_KEPT,
  now = () => Date.now(),
} = {}): (linkId: string) => boolean {
  const recordedAt = new Map<string, number>();
  return (linkId) => {
    const at = now();
    const last = recordedAt.get(linkId);
    if (last !== undefined && at - last < intervalMs) return false;
    recordedAt.delete(linkId);
    recordedAt.set(linkId, at);
    if (recordedAt.size > kept) recordedAt.delete(recordedAt.keys().next().value as string);
    return true;
  };
}
