import type { OutcomeType } from '@/lib/audit';
import {
  type ReadinessOverride,
  type RotationContext,
  type RotationOutcomeFacts,
  refusedRequestEvent,
  rotationFailedEvent,
  rotationOutcomeEvent,
  rotationRequestedEvent,
} from '@/lib/audit/events';
import { Auth0Error } from '@/lib/auth0/errors';
import type { ConnectionDetail, ConnectionKey, RotatedKey } from '@/lib/auth0/types';
import { RotationRefused, RotationUnsettled } from './errors';
import { rotationLockId } from './lock-id';
import { keysAsShown, keysChangedMessage } from './precondition';
import { mayStillBeRunning, rateLimitWait } from './retry-policy';
import { settleFromKeys } from './settle';
import type { GateReadiness, HeldLock, RotationDependencies, RotationRequest, RotationSuccess } from './types';

export class ConnectionBusyError extends Error {
  constructor(readonly holder: { name: string | null; email: string | null } | null) {
    super('connection is locked');
    this.name = 'ConnectionBusyError';
  }
}

/**
 * One rotation, as DESIGN.md lays it out: check the typed name against Auth0's, take the connection's lock, record
 * "requested" (no record, no rotation), call rotate exactly once, and record how it ended. An ambiguous failure is
 * settled by reading the keys back, never by calling rotate again.
 *
 * Auth0's answer about the connection (for the name check) is awaited only once the lock is held and the keys are
 * being read: the two reads overlap instead of adding a round trip each. Nothing is recorded or rotated before the
 * name has been checked.
 */
export async function rotateConnection(deps: RotationDependencies, request: RotationRequest): Promise<RotationSuccess> {
  const checked = deps.getConnection(request.connectionId).then((connection) => checkConnection(connection, request));
  // Whichever path awaits it reports its failure; until then it must not count as unhandled.
  checked.catch(() => {});

  const baseFor = (connection: ConnectionDetail): RotationContext => ({
    tenant: deps.tenant,
    requestId: request.requestId,
    user: request.user,
    connectionId: connection.id,
    connectionName: connection.name,
    algorithm: request.signingAlg,
    clientIp: request.clientIp,
    userAgent: request.userAgent,
    ...(request.campaignId ? { campaignId: request.campaignId } : {}),
  });

  try {
    return await deps.withConnectionLock(
      rotationLockId(deps.tenant, request.connectionId),
      request.user,
      async (lock) => {
        const before = deps.listKeys(request.connectionId);
        before.catch(() => {});
        const base = baseFor(await checked);
        return rotateLocked(deps, request, base, await before, lock);
      },
    );
  } catch (error) {
    if (error instanceof ConnectionBusyError) {
      const base = baseFor(await checked);
      const who = error.holder?.name ?? error.holder?.email ?? 'another operator';
      const message = `${who} is rotating this connection right now. Wait for it to finish, then check the keys.`;
      await recordRefusal(deps, base, 'conflict', message);
      throw new RotationRefused('conflict', message);
    }
    throw error;
  }
}

function checkConnection(connection: ConnectionDetail, request: RotationRequest): ConnectionDetail {
  if (request.confirmName.trim() !== connection.name) {
    throw new RotationRefused(
      'invalid_input',
      `The name typed does not match this connection’s name (${connection.name}).`,
      {
        confirmName: ['does not match the connection name'],
      },
    );
  }
  if (!connection.keyCapable) {
    throw new RotationRefused(
      'invalid_input',
      connection.keysUnsupportedReason ?? 'This connection has no keys to rotate.',
    );
  }
  return connection;
}

/**
 * A request refused because another rotation holds the lock, or because the keys are no longer those the operator
 * confirmed against, is still a request: it is recorded as asked for and refused at once (nothing was sent to
 * Auth0), so the trail shows every attempt. A failure to record is logged only.
 */
async function recordRefusal(
  deps: RotationDependencies,
  base: RotationContext,
  errorCode: 'conflict' | 'not_ready' | 'precondition_failed',
  message: string,
) {
  try {
    await deps.appendAudit(refusedRequestEvent(base, errorCode));
    await deps.appendAudit(rotationFailedEvent(base, { previousKid: null, errorCode, message }));
  } catch (error) {
    deps.logError('could not record a refused rotation', { requestId: base.requestId, error: String(error) });
  }
}

const UNREADABLE = 'Keyshift could not read how this connection’s IdP learns keys.';

/**
 * The readiness gate, under the lock with the keys just read: a rotation that makes current a key the IdP is not
 * known to trust goes ahead only if the operator acknowledged exactly the state the server finds now (a state that
 * changed since the dialog showed it is refused, so the operator reads the new one). Refused like the other checks:
 * recorded, and nothing sent to Auth0. Returns the override to record, or undefined for a ready connection.
 */
async function passGate(
  deps: RotationDependencies,
  request: RotationRequest,
  base: RotationContext,
  promotedKid: string | null,
): Promise<ReadinessOverride | undefined> {
  // An unreadable setting fails closed: "unknown" still needs the operator's acknowledgment.
  const found = await deps
    .nextKeyReadiness(base.connectionId, promotedKid)
    .catch((): GateReadiness => ({ state: 'unknown', reason: UNREADABLE }));
  if (found.state === 'ready') return undefined;
  if (request.acknowledgedReadiness === found.state) {
    return { readiness: found.state, reason: found.reason, acknowledged: true };
  }
  const consequence = `Sign-ins through ${base.connectionName} will fail until its identity provider trusts key ${promotedKid ?? '(none)'}.`;
  const state = found.state === 'unknown' ? 'unknown' : 'not ready';
  const message = request.acknowledgedReadiness
    ? `The identity provider’s readiness changed since the dialog showed it: it is now ${state} (${found.reason}) ${consequence} Review it and acknowledge again to rotate anyway.`
    : `The identity provider is ${state}: ${found.reason} ${consequence} Rotating anyway needs your explicit acknowledgment.`;
  await recordRefusal(deps, base, 'not_ready', message);
  throw new RotationRefused('not_ready', message);
}

const LOCK_LOST =
  'Keyshift lost its database lock on this connection before calling Auth0, so the rotation was not attempted. Nothing changed in Auth0. Try again.';

/** An outcome as the rotation learns it; the revoked kid and the time taken are added when it is recorded. */
type RecordedOutcome = Omit<RotationOutcomeFacts, 'previousKid'> & { type: OutcomeType };

/** `before`: the keys read under the lock, what "previous" will be and the baseline for settling an ambiguous answer. */
async function rotateLocked(
  deps: RotationDependencies,
  request: RotationRequest,
  base: RotationContext,
  before: ConnectionKey[],
  lock: HeldLock,
): Promise<RotationSuccess> {
  if (before.length === 0) {
    throw new RotationRefused('invalid_input', 'This connection has no keys yet. Provision them before rotating.');
  }
  if (!keysAsShown(before, request)) {
    // The page was a rotation (or more) behind: rotating now would revoke a key the operator never saw as current.
    const last = await deps.lastRotation(base.connectionId).catch(() => null);
    const message = keysChangedMessage(last, deps.wallClock());
    await recordRefusal(deps, base, 'precondition_failed', message);
    throw new RotationRefused('precondition_failed', message);
  }
  const revokedKid = before.find((key) => key.current)?.kid ?? null;
  const promotedKid = before.find((key) => key.next)?.kid ?? null;
  const override = await passGate(deps, request, base, promotedKid);

  try {
    await deps.appendAudit(rotationRequestedEvent(base, revokedKid, promotedKid, override));
  } catch (error) {
    if (error instanceof RotationRefused) throw error;
    throw new RotationRefused(
      'unavailable',
      'The audit trail could not be written, so the rotation was not attempted. Nothing changed in Auth0.',
    );
  }

  const started = deps.now();
  const elapsed = () => Math.round(deps.now() - started);
  // Past this point Auth0 may have acted: an outcome that cannot be written must not hide what happened upstream.
  const record = (outcome: RecordedOutcome) =>
    deps
      .appendAudit(rotationOutcomeEvent(base, { previousKid: revokedKid, durationMs: elapsed(), ...outcome }))
      .catch((error: unknown) =>
        deps.logError('could not record a rotation outcome', {
          requestId: base.requestId,
          type: outcome.type,
          error: String(error),
        }),
      );

  // Right before each call to Auth0: a lock lost since it was taken (its database session ended) means another
  // instance may be rotating this connection now. Past the call, the store's one-pending-request rule still holds.
  const confirmLock = () =>
    lock.confirmHeld().catch(async () => {
      await record({ type: 'rotation.failed', status: null, errorCode: 'lock_lost', message: LOCK_LOST });
      throw new RotationRefused('unavailable', LOCK_LOST);
    });

  try {
    const { key, waitedMs } = await rotateUntilAuth0Acts(deps, base.connectionId, request.signingAlg, confirmLock);
    const durationMs = elapsed();
    await record({
      type: 'rotation.succeeded',
      status: 201,
      newKid: key.kid,
      newFingerprint: key.fingerprint,
      durationMs,
      ...(waitedMs === null
        ? {}
        : {
            message: `Auth0’s rate limit was reached first (nothing changed); Keyshift waited ${(waitedMs / 1000).toFixed(1)} s for it to reset and rotated then.`,
          }),
    });
    return {
      connectionId: base.connectionId,
      connectionName: base.connectionName,
      key,
      revokedKid,
      promotedKid,
      settledByReadBack: false,
      durationMs,
    };
  } catch (caught) {
    if (caught instanceof RotationRefused) throw caught;
    const error =
      caught instanceof Auth0Error
        ? caught
        : new Auth0Error('auth0:upstream', 'The rotation failed unexpectedly.', { ambiguous: true });
    const failure = { status: error.details.status ?? null, errorCode: error.code, message: error.message };
    if (!error.details.ambiguous) {
      await record({ type: 'rotation.failed', ...failure });
      throw error;
    }
    return settle(deps, before, { revokedKid, promotedKid, elapsed, record, failure, base, error, lock });
  }
}

/**
 * Calls rotate once. A 429 is the one failure after which Auth0 has certainly done nothing, so when the limit resets
 * soon (see retry-policy.ts) Keyshift waits for it, still holding the lock, and calls rotate one more time; a failure
 * of that call is handled like the first one's would have been.
 */
async function rotateUntilAuth0Acts(
  deps: RotationDependencies,
  connectionId: string,
  signingAlg: RotationRequest['signingAlg'],
  confirmLock: () => Promise<void>,
): Promise<{ key: RotatedKey; waitedMs: number | null }> {
  try {
    await confirmLock();
    return { key: await deps.rotate(connectionId, signingAlg), waitedMs: null };
  } catch (error) {
    const waitMs = rateLimitWait(error, deps.wallClock());
    if (waitMs === null) throw error;
    await deps.sleep(waitMs);
    await confirmLock();
    return { key: await deps.rotate(connectionId, signingAlg), waitedMs: waitMs };
  }
}

async function settle(
  deps: RotationDependencies,
  before: ConnectionKey[],
  context: {
    revokedKid: string | null;
    promotedKid: string | null;
    elapsed: () => number;
    record: (outcome: RecordedOutcome) => Promise<void>;
    failure: { status: number | null; errorCode: string; message: string };
    base: RotationContext;
    error: Auth0Error;
    lock: HeldLock;
  },
): Promise<RotationSuccess> {
  const { record, failure, base, error } = context;
  const readBack = () =>
    deps.listKeys(base.connectionId).then(
      (after) => settleFromKeys(before, after),
      () => null,
    );
  let settlement = await readBack();
  let secondLook = '';
  if (settlement?.happened === false && mayStillBeRunning(error)) {
    // Auth0 may still be working on the request it stopped answering: look again once it would surely be done.
    await deps.sleep(deps.settleGraceMs);
    settlement = await readBack();
    secondLook = ` right away and again ${(deps.settleGraceMs / 1000).toFixed(0)} s later`;
  }
  const stillHeld = await context.lock.confirmHeld().then(
    () => true,
    () => false,
  );
  if (!stillHeld) {
    // Without the lock another instance may have rotated meanwhile: the keys read back no longer speak for this call.
    const message = `${error.message} Keyshift lost its database lock on this connection meanwhile, so reading the keys back cannot tell whether this rotation happened. Check the keys before rotating again.`;
    await record({ type: 'rotation.unknown', ...failure, message });
    throw new RotationUnsettled(message);
  }
  if (!settlement) {
    const message = `${error.message} Keyshift could not read the keys back, so it cannot tell whether the rotation happened. Check the keys before rotating again.`;
    await record({ type: 'rotation.unknown', ...failure, message });
    throw new RotationUnsettled(message);
  }
  if (settlement.happened === true) {
    const durationMs = context.elapsed();
    await record({
      type: 'rotation.succeeded',
      ...failure,
      message: `${error.message} Reading the keys back shows the rotation happened.`,
      newKid: settlement.key.kid,
      newFingerprint: settlement.key.fingerprint,
      durationMs,
    });
    return {
      connectionId: base.connectionId,
      connectionName: base.connectionName,
      key: settlement.key,
      revokedKid: context.revokedKid,
      promotedKid: context.promotedKid,
      settledByReadBack: true,
      durationMs,
    };
  }
  if (settlement.happened === false) {
    const message = `${error.message} Reading the keys back${secondLook} shows nothing changed; the keys are as they were.`;
    await record({ type: 'rotation.failed', ...failure, message });
    throw new Auth0Error(error.code, message, { ...error.details, ambiguous: false });
  }
  const message = `${error.message} The keys changed in a way Keyshift did not expect (another rotation may have happened). Check the keys before rotating again.`;
  await record({ type: 'rotation.unknown', ...failure, message });
  throw new RotationUnsettled(message);
}
