/** The watch of a connection's sign-ins after its latest rotation, as the browser receives it (plain data). */
import type { WatchCounts } from '@/lib/audit/events';

export type { WatchCounts };

export interface FailureView {
  date: string;
  description: string;
  /** The IdP refused the key the client assertion was signed with. */
  keyFailure: boolean;
}

export interface WatchedRotation {
  /** The audit event of the rotation (rotation.succeeded or rotation.external). */
  eventId: number;
  requestId: string | null;
  external: boolean;
  at: string;
  who: string | null;
  /** The key Auth0 generated (the new next). */
  newKid: string | null;
  /** The key the rotation revoked (now previous). */
  revokedKid: string | null;
  /** The key the rotation made current: the one sign-ins are signed with now. Null when the trail does not say. */
  promotedKid: string | null;
}

export type SignInWatchView =
  | { state: 'none'; pollMs: number }
  | {
      state: 'watching' | 'closed';
      pollMs: number;
      connectionName: string | null;
      rotation: WatchedRotation;
      windowStart: string;
      windowEnd: string;
      now: string;
      counts: WatchCounts;
      latestFailures: FailureView[];
      idpMode: 'jwks_url' | 'pasted' | 'unknown';
      /** Set while watching when the latest read of the logs failed: the counts are from the read before. */
      readError: string | null;
    };
