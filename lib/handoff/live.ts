import 'server-only';
import { processWide } from '@/lib/async/process-wide';
import { KeyedTokenBuckets, type TakeResult } from '@/lib/async/token-bucket';
import { auditStore } from '@/lib/audit';
import { auditTenant } from '@/lib/audit/events';
import { getConnection, listConnectionKeys } from '@/lib/auth0/connections';
import { connectionJwksUrl } from '@/lib/auth0/jwks';
import { config } from '@/lib/config';
import { describeHandoffKey } from './describe-key';
import type { HandoffDependencies } from './links';
import { handoffSigningKey } from './token';

/** Hand-off links on the configured tenant, the process-wide store and Auth0, signed under NEXTAUTH_SECRET's HKDF. */
export function liveHandoffDependencies(): HandoffDependencies {
  const settings = config();
  return {
    store: auditStore,
    tenant: auditTenant(),
    signingKey: processWide('handoff-signing-key', () => handoffSigningKey(settings.nextAuth.secret)),
    origin: settings.nextAuth.url,
    now: () => new Date(),
    connection: async (connectionId) => {
      const connection = await getConnection(connectionId);
      return { name: connection.name, keyCapable: connection.keyCapable };
    },
    keys: listConnectionKeys,
    jwksUrl: connectionJwksUrl,
    describeKey: describeHandoffKey,
  };
}

/**
 * Public opens are not signed in, so they get their own budget: per client address (a guesser or a loop is slowed
 * before it reaches the database) and for everyone together (each valid open is one Auth0 read, taken from the
 * tenant's rate limit that rotations need). Without trusted proxy hops there is no address, and all share one key.
 */
const perClient = () => processWide('handoff-open-budget', () => new KeyedTokenBuckets({ burst: 20, perSecond: 0.5 }));
const everyone = () => processWide('handoff-open-budget-all', () => new KeyedTokenBuckets({ burst: 60, perSecond: 2 }));

export function takeHandoffOpen(ip: string | null): TakeResult {
  const own = perClient().take(ip ?? 'unknown');
  if (!own.ok) return own;
  return everyone().take('all');
}
