'use server';

import { authorizedAction } from '@/lib/auth/action';
import { listConnectionKeys, provisionConnectionKeys } from '@/lib/auth0/connections';
import { keyViews } from '@/lib/keys/key-view';
import { connectionInput, provisionKeysInput } from '@/lib/schemas';

export const listKeysAction = authorizedAction(
  { name: 'listKeys', permission: 'keys:read', input: connectionInput },
  async ({ connectionId }) => keyViews(await listConnectionKeys(connectionId)),
);

export const provisionKeysAction = authorizedAction(
  { name: 'provisionKeys', permission: 'keys:provision', input: provisionKeysInput },
  async ({ connectionId, signingAlg }) => keyViews(await provisionConnectionKeys(connectionId, signingAlg)),
);
