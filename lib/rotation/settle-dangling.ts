import type { AuditEvent, AuditEventInput } from '@/lib/audit';
import { requestedPromotedKid, settledRequestOutcomeEvent } from '@/lib/audit/events';
import type { OutcomeType } from '@/lib/audit/outcomes';
import type { ConnectionKey } from '@/lib/auth0/types';
import { rotationLockId } from './lock-id';

export interface DanglingDependencies {
  danglingRequests(): Promise<AuditEvent[]>;
  /**
   * Whether the request still has no outcome. Asked under the connection's lock, right before writing: the list was
   * read earlier, and the rotation's own process (or another instance settling) may have recorded one since.
   */
  stillPending(requestId: string): Promise<boolean>;
  /** The connection's keys on `tenant`, the domain its request recorded. */
  listKeys(connectionId: string, tenant: string | null): Promise<ConnectionKey[]>;
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

const STOPPED = 'Keyshift stopped before recording the outcome;';

export interface DanglingVerdict {
  type: OutcomeType;
  message: string;
  /** The key a succeeded rotation generated: `next` now. */
  newKey?: ConnectionKey;
}

/**
 * What the keys now say about a request left without an outcome. The request recorded the kid it would revoke
 * (`previousKid`, current then) and, since issue 13, the kid it would promote (`details.promotedKid`, next then):
 * - `succeeded` only when the promoted kid is now current (exactly one rotation moved the keys from where they were);
 * - `failed` only when nothing changed: current and next are the recorded ones;
 * - `unknown` otherwise: another rotation happened in between, and which did what cannot be told.
 * An older request, without the promoted kid, is `failed` when its current key is still current (a rotation always
 * revokes the current key, so none happened), and `unknown` otherwise rather than guessing it was this one.
 */
export function danglingVerdict(requested: AuditEvent, keys: ConnectionKey[]): DanglingVerdict {
  const current = keys.find((key) => key.current);
  const next = keys.find((key) => key.next);
  const currentKid = current?.kid ?? null;
  const promotedKid = requestedPromotedKid(requested);
  if (promotedKid === undefined) {
    return currentKid === requested.previousKid
      ? { type: 'rotation.failed', message: `${STOPPED} reading the keys back shows the keys did not change.` }
      : {
          type: 'rotation.unknown',
          message: `${STOPPED} the current key has changed since, but this request did not record the key it would promote, so Keyshift cannot tell whether this rotation changed it. Check the keys.`,
        };
  }
  if (promotedKid !== null && currentKid === promotedKid) {
    return {
      type: 'rotation.succeeded',
      message: `${STOPPED} reading the keys back shows the rotation happened.`,
      newKey: next,
    };
  }
  if (currentKid === requested.previousKid && (next?.kid ?? null) === promotedKid) {
    return { type: 'rotation.failed', message: `${STOPPED} reading the keys back shows the keys did not change.` };
  }
  return {
    type: 'rotation.unknown',
    message: `${STOPPED} the keys have changed since, but not as this rotation alone would have changed them (another rotation happened in between). Check the keys.`,
  };
}

/**
 * A "requested" event without an outcome means a process died mid-rotation (or could not write the outcome). Each is
 * settled under its connection's lock, once it is surely over upstream, by reading the keys back (see danglingVerdict).
 */
export async function settleDanglingRotations(deps: DanglingDependencies): Promise<number> {
  let settled = 0;
  for (const requested of await deps.danglingRequests()) {
    const connectionId = requested.connectionId;
    const requestId = requested.requestId;
    if (!connectionId || !requestId) continue;
    const wait = requested.occurredAt.getTime() + (deps.graceMs ?? 0) - (deps.now?.() ?? Date.now());
    if (wait > 0) await deps.sleep?.(wait);
    await deps.ifUnlocked(rotationLockId(requested.tenant, connectionId), async () => {
      if (!(await deps.stillPending(requestId))) return;
      let keys: ConnectionKey[];
      try {
        keys = await deps.listKeys(connectionId, requested.tenant);
      } catch {
        return; // Auth0 unreachable now: try again at the next run.
      }
      const { type, message, newKey } = danglingVerdict(requested, keys);
      await deps.appendAudit(
        settledRequestOutcomeEvent(requested, {
          type,
          previousKid: requested.previousKid,
          message,
          ...(type === 'rotation.succeeded'
            ? { newKid: newKey?.kid ?? null, newFingerprint: newKey?.fingerprint ?? null }
            : {}),
        }),
      );
      settled++;
    });
  }
  return settled;
}
