import type { AuditEventInput } from '@/lib/audit';
import type { ConnectionDetail, ConnectionKey, RotatedKey } from '@/lib/auth0/types';
import type { SigningAlg } from '@/lib/certs/signing-algorithms';
import type { KnownRotation, ShownKids } from './precondition';

export interface RotationDependencies {
  tenant: string;
  getConnection(id: string): Promise<ConnectionDetail>;
  listKeys(id: string): Promise<ConnectionKey[]>;
  rotate(id: string, signingAlg: SigningAlg): Promise<RotatedKey>;
  appendAudit(event: AuditEventInput): Promise<void>;
  withConnectionLock<T>(connectionId: string, holder: RotationActor, run: (lock: HeldLock) => Promise<T>): Promise<T>;
  /** Monotonic milliseconds, for durations. */
  now(): number;
  /** Epoch milliseconds, to compare with the rate-limit reset time Auth0 sends. */
  wallClock(): number;
  sleep(ms: number): Promise<void>;
  /** After an answer lost in flight (timeout, dropped connection, gateway error): how long before a second read-back. */
  settleGraceMs: number;
  /** For an outcome that could not be recorded: the dangling "requested" event is settled later. */
  logError(message: string, details: Record<string, unknown>): void;
  /** The connection's last rotation the audit trail knows of, to say who moved the keys under an operator's page. */
  lastRotation(connectionId: string): Promise<KnownRotation | null>;
  /**
   * Whether the connection's IdP already trusts `nextKid` (the key the rotation makes current), from the stored IdP
   * setting and the next key's appearance in the trail (lib/idp computes it; the action wires it in, since lib/idp
   * reaches lib/rotation through lib/auth and the arrow must not point back).
   */
  nextKeyReadiness(connectionId: string, nextKid: string | null): Promise<GateReadiness>;
}

/** The readiness the gate reads: lib/idp/readiness.ts `Readiness`, restated so this folder imports nothing of lib/idp. */
export interface GateReadiness {
  state: 'ready' | 'not_ready' | 'unknown';
  reason: string;
}

/** A not-ready state an operator can acknowledge in the rotate dialog. */
export type AcknowledgeableReadiness = Exclude<GateReadiness['state'], 'ready'>;

/** The connection's lock, as the rotation holding it sees it. */
export interface HeldLock {
  /** Resolves if the lock is certainly still held (asked of the database session holding it); rejects otherwise. */
  confirmHeld(): Promise<void>;
}

/** Who asks for a rotation: what the audit trail and the connection's lock record of them. */
export interface RotationActor {
  sub: string;
  email: string | null;
  name: string | null;
}

/**
 * `expectedCurrentKid`, `expectedNextKid`: the keys the operator's page showed; others are refused unrotated.
 * `acknowledgedReadiness`: the not-ready state the dialog showed and the operator acknowledged rotating past.
 */
export interface RotationRequest extends ShownKids {
  connectionId: string;
  acknowledgedReadiness?: AcknowledgeableReadiness;
  signingAlg: SigningAlg;
  confirmName: string;
  user: RotationActor;
  requestId: string;
  clientIp: string | null;
  userAgent: string | null;
  /** Set when the rotation is an item of a campaign (lib/campaigns): every event it writes names the campaign. */
  campaignId?: string;
}

export interface RotationSuccess {
  connectionId: string;
  connectionName: string;
  /** The key Auth0 generated: the new `next`. */
  key: RotatedKey;
  /** The kid that was current before and is now `previous`. */
  revokedKid: string | null;
  /** The kid that was `next` before and is now current. */
  promotedKid: string | null;
  /** True when Auth0's answer was lost and the outcome was established by reading the keys back. */
  settledByReadBack: boolean;
  durationMs: number;
}
