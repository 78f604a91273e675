'use server';

import { authorizedAction } from '@/lib/auth/action';
import { liveIdpDependencies } from '@/lib/idp/live';
import { configureIdp, confirmNextKey, idpStatus } from '@/lib/idp/settings';
import { configureIdpInput, confirmNextKeyInput, connectionInput } from '@/lib/schemas';

/** How the connection's IdP learns keys and when its next key appeared: readiness is computed from these. */
export const idpStatusAction = authorizedAction(
  { name: 'idpStatus', permission: 'keys:read', input: connectionInput },
  ({ connectionId }) => idpStatus(liveIdpDependencies(), connectionId),
);

export const configureIdpAction = authorizedAction(
  { name: 'configureIdp', permission: 'idp:configure', input: configureIdpInput, auth0Reads: () => 1 },
  (input, context) => configureIdp(liveIdpDependencies(), input, context),
);

export const confirmNextKeyAction = authorizedAction(
  { name: 'confirmNextKey', permission: 'idp:configure', input: confirmNextKeyInput, auth0Reads: () => 2 },
  (input, context) => confirmNextKey(liveIdpDependencies(), input, context),
);
