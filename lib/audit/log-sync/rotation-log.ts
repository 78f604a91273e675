import type { RotationOutcome } from '@/lib/audit';
import type { RotationLogEntry } from '@/lib/audit/events';
import type { TenantLogEvent } from '@/lib/auth0/logs';

const ROTATE_PATH = /^\/api\/v2\/connections\/([^/?#]+)\/keys\/rotate\/?$/;

const stringField = (body: unknown, field: string): string | null => {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const value = (body as Record<string, unknown>)[field];
  return typeof value === 'string' && value.trim() !== '' ? value : null;
};

/**
 * A rotation of a connection's keys, or null for any other event: a successful Management API call (`sapi`) of
 * `POST /api/v2/connections/{id}/keys/rotate` that did not fail. Auth0 records failed calls as `fapi`, but a 4xx/5xx
 * status in the log is refused too, in case a tenant (or the emulator) records them otherwise.
 */
export function parseRotationLog(log: TenantLogEvent): RotationLogEntry | null {
  if (log.type !== 'sapi' || !log.request?.path) return null;
  if (log.request.method && log.request.method.toLowerCase() !== 'post') return null;
  const path = log.request.path.split('?')[0] ?? '';
  const match = ROTATE_PATH.exec(path);
  if (!match?.[1]) return null;
  const statusCode = log.response?.statusCode ?? null;
  if (statusCode !== null && (statusCode < 200 || statusCode >= 300)) return null;
  const body = log.response?.body;
  return {
    logId: log.logId,
    date: log.date,
    connectionId: decodeURIComponent(match[1]),
    clientId: log.clientId,
    clientName: log.clientName,
    ip: log.ip,
    userAgent: log.userAgent,
    description: log.description,
    statusCode,
    newKid: stringField(body, 'kid'),
    newFingerprint: stringField(body, 'fingerprint'),
    algorithm: stringField(body, 'algorithm') ?? stringField(log.request.body, 'signing_alg'),
  };
}

/** Identifies a log event even across a log whose ids restarted (a reset emulator): the id and the date. */
export const rotationLogKey = (entry: Pick<RotationLogEntry, 'logId' | 'date'>) => `${entry.logId}@${entry.date}`;

/** A rotation Keyshift was asked to make, as the audit trail has it (a RotationRow, in plain values). */
export interface KeyshiftRotation {
  /** The rotation.requested event's id. */
  id: number;
  connectionId: string | null;
  outcome: RotationOutcome;
  requestedAt: Date;
  settledAt: Date | null;
  newKid: string | null;
}

/** Auth0's clock against the database's: how far apart they may be and still describe the same moment. */
export const CLOCK_SKEW_MS = 30_000;
/** How long a rotation still in progress may take before Auth0 performs it (rotate's timeout, then the read-back). */
export const MAX_ROTATION_MS = 120_000;
/** How far back from a log event to look for the Keyshift rotation that could have caused it. */
export const LOOKBACK_MS = MAX_ROTATION_MS + CLOCK_SKEW_MS;

/**
 * The de-duplication rule: the Keyshift rotation that made this logged rotation, or null when it was made outside
 * Keyshift. Keyshift records `rotation.requested` before it calls Auth0, so every rotation it makes has a request
 * event by the time the log can be read. A log is Keyshift's when
 *
 * 1. it was made with Keyshift's machine-to-machine client (`ourClientId`; unknown with a static Management token,
 *    and then not required), and
 * 2. a Keyshift rotation of the same connection matches it:
 *    a. exactly, by the new key: the rotation recorded the kid the log's response carries; or
 *    b. by time, when the new key cannot decide (the rotation recorded no new kid, because it is in progress or its
 *       outcome is unknown, or the log carries no kid): the log's date lies within the rotation's window, from its
 *       request to its outcome (or MAX_ROTATION_MS after the request while in progress), widened by CLOCK_SKEW_MS.
 *       Keyshift rotates a connection under a lock, so at most one of its rotations is in that window.
 *
 * A `failed` rotation never matches: failed means Auth0 did not rotate (refused, or the keys read back unchanged),
 * and Auth0 logs only what it did. `claimed` maps rotations already matched to the log that matched them, so that
 * one Keyshift rotation never hides two logged ones (reading the same log again still finds its rotation); a match
 * is added to it.
 */
export function keyshiftRotationFor(
  entry: RotationLogEntry,
  candidates: readonly KeyshiftRotation[],
  ourClientId: string | null,
  claimed: Map<number, string>,
): KeyshiftRotation | null {
  const logKey = rotationLogKey(entry);
  if (ourClientId && entry.clientId !== ourClientId) return null;
  const mine = candidates.filter(
    (rotation) =>
      rotation.connectionId === entry.connectionId &&
      rotation.outcome !== 'failed' &&
      rotation.outcome !== 'external' &&
      (claimed.get(rotation.id) ?? logKey) === logKey,
  );
  const at = Date.parse(entry.date);
  const byKid = entry.newKid ? mine.find((rotation) => rotation.newKid === entry.newKid) : undefined;
  const byTime = mine.find((rotation) => {
    if (entry.newKid && rotation.newKid) return false;
    const start = rotation.requestedAt.getTime() - CLOCK_SKEW_MS;
    const end = (rotation.settledAt?.getTime() ?? rotation.requestedAt.getTime() + MAX_ROTATION_MS) + CLOCK_SKEW_MS;
    return start <= at && at <= end;
  });
  const match = byKid ?? byTime ?? null;
  if (match) claimed.set(match.id, logKey);
  return match;
}
