'use server';

import { authorizedAction } from '@/lib/auth/action';
import { can, roleIn } from '@/lib/auth/roles';
import { getConnection, listConnectionKeys, provisionConnectionKeys } from '@/lib/auth0/connections';
import { checkPublished, connectionJwksUrl } from '@/lib/auth0/jwks';
import { config } from '@/lib/config';
import { liveNextKeyReadiness } from '@/lib/idp/live';
import { keyViews, rotatedKeyView } from '@/lib/keys/key-view';
import type { DevFirstNotice } from '@/lib/rotation/dev-first';
import { liveDevFirstNotices, liveRotationDependencies, recordProvisioned } from '@/lib/rotation/live';
import { rotateConnection } from '@/lib/rotation/rotate';
import type { RotationView } from '@/lib/rotation/view';
import { connectionInput, provisionKeysInput, publicationInput, rotateKeysInput } from '@/lib/schemas';
import { signInWatcher } from '@/lib/watch/live';
import type { SignInWatchView } from '@/lib/watch/types';

export const listKeysAction = authorizedAction(
  { name: 'listKeys', permission: 'keys:read', input: connectionInput, auth0Reads: () => 1 },
  async ({ connectionId }) => keyViews(await listConnectionKeys(connectionId)),
);

export const provisionKeysAction = authorizedAction(
  { name: 'provisionKeys', permission: 'keys:provision', input: provisionKeysInput },
  async ({ connectionId, signingAlg }, context) => {
    const keys = await provisionConnectionKeys(connectionId, signingAlg);
    await recordProvisioned(connectionId, signingAlg ?? null, keys, context);
    return keyViews(keys);
  },
);

export const rotateKeysAction = authorizedAction(
  { name: 'rotateKeys', permission: 'keys:rotate', input: rotateKeysInput },
  async (input, context): Promise<RotationView> => {
    const deps = { ...liveRotationDependencies(), nextKeyReadiness: liveNextKeyReadiness };
    const rotation = await rotateConnection(deps, {
      ...input,
      user: context.user,
      requestId: context.requestId,
      clientIp: context.ip,
      userAgent: context.userAgent,
    });
    return { ...rotation, key: await rotatedKeyView(rotation.key, connectionJwksUrl(rotation.connectionName)) };
  },
);

/** Whether a key is in the connection's public JWKS yet: asked by the result panel once the rotation is shown. */
export const checkPublicationAction = authorizedAction(
  { name: 'checkPublication', permission: 'keys:read', input: publicationInput, auth0Reads: () => 1 },
  ({ connectionName, kid }) => checkPublished(connectionName, kid),
);

/**
 * Sign-ins through the connection since its latest rotation, while the watch window is open (then its summary).
 * Counted as one Auth0 read: the process reads a connection's logs at most once per polling interval however many
 * pages ask (lib/watch).
 */
export const signInWatchAction = authorizedAction(
  { name: 'signInWatch', permission: 'keys:read', input: connectionInput, auth0Reads: () => 1 },
  ({ connectionId }): Promise<SignInWatchView> => signInWatcher().watch(connectionId),
);

/**
 * For the rotate dialog of a production tenant: the non-production tenants (that this operator can read) where a
 * connection of the same name was not rotated within the configured period. Elsewhere, nothing.
 */
export const devFirstAction = authorizedAction(
  { name: 'devFirst', permission: 'keys:rotate', input: connectionInput, auth0Reads: () => 1 },
  async ({ connectionId }, { tenant, user }): Promise<DevFirstNotice[]> => {
    if (tenant.environment !== 'production') return [];
    const readable = config().tenants.filter(
      (other) => other.environment !== 'production' && can(roleIn(user.roles, other.slug), 'connections:read'),
    );
    if (readable.length === 0) return [];
    const { name } = await getConnection(connectionId);
    return liveDevFirstNotices(readable, name);
  },
);
