import type { AuditEvent, AuditEventInput } from '@/lib/audit';
import { requestedRotation, rotationFailedEvent, rotationSucceededEvent } from '@/lib/audit/events';
import type { ConnectionKey } from '@/lib/auth0/types';

export interface DanglingDependencies {
  danglingRequests(): Promise<AuditEvent[]>;
  listKeys(connectionId: string): Promise<ConnectionKey[]>;
  appendAudit(event: AuditEventInput): Promise<void>;
  /** Runs only if nobody holds the connection's lock: a live rotation elsewhere is not ours to settle. */
  ifUnlocked(connectionId: string, run: () => Promise<void>): Promise<void>;
  /**
   * Auth0 may still be carrying out a rotate the dead process sent just before it died: a request is read back
   * only once it is this old (by its "requested" time), so a rotation landing late is not recorded as "did not".
   */
  graceMs?: number;
  /** Epoch milliseconds. */
  now?(): number;
  sleep?(ms: number): Promise<void>;
}

/**
 * A "requested" event without an outcome means a process died mid-rotation (or could not write the outcome).
 * The keys, read back, tell what happened: if the key that was current then is no longer current, the rotation
 * went through; if it still is, it did not.
 */
export async function settleDanglingRotations(deps: DanglingDependencies): Promise<number> {
  let settled = 0;
  for (const requested of await deps.danglingRequests()) {
    const connectionId = requested.connectionId;
    if (!connectionId || !requested.requestId) continue;
    const wait = requested.occurredAt.getTime() + (deps.graceMs ?? 0) - (deps.now?.() ?? Date.now());
    if (wait > 0) await deps.sleep?.(wait);
    await deps.ifUnlocked(connectionId, async () => {
      const rotation = requestedRotation(requested);
      let keys: ConnectionKey[];
      try {
        keys = await deps.listKeys(connectionId);
      } catch {
        return; // Auth0 unreachable now: try again at the next start.
      }
      const current = keys.find((key) => key.current);
      const next = keys.find((key) => key.next);
      const happened = requested.previousKid !== null && current !== undefined && current.kid !== requested.previousKid;
      await deps.appendAudit(
        happened
          ? rotationSucceededEvent(rotation, {
              previousKid: requested.previousKid,
              newKid: next?.kid ?? null,
              newFingerprint: next?.fingerprint ?? null,
              message:
                'Keyshift stopped before recording the outcome; reading the keys back shows the rotation happened.',
            })
          : rotationFailedEvent(rotation, {
              previousKid: requested.previousKid,
              message:
                'Keyshift stopped before recording the outcome; reading the keys back shows the keys did not change.',
            }),
      );
      settled++;
    });
  }
  return settled;
}
