'use server';

import { z } from 'zod';
import { auditStore } from '@/lib/audit';
import { auditTenant } from '@/lib/audit/events';
import { authorizedAction } from '@/lib/auth/action';
import { tenantsWhere } from '@/lib/auth/roles';
import { getConnection } from '@/lib/auth0/connections';
import { config } from '@/lib/config';
import { inventoryStatus } from '@/lib/fleet/live';
import { setRotationPeriod } from '@/lib/fleet/settings';
import { fleetSnapshot } from '@/lib/fleet/view';
import { rotationPeriodInput } from '@/lib/schemas';

/**
 * The fleet: the tenant named, or every tenant the user may read keys in (`all`), from Keyshift's inventory alone
 * (no Auth0 read).
 */
export const fleetAction = authorizedAction(
  {
    name: 'fleet',
    permission: 'keys:read',
    input: z.object({ scope: z.enum(['tenant', 'all']).default('tenant') }).strict(),
  },
  async ({ scope }, context) =>
    fleetSnapshot(
      scope === 'all' ? tenantsWhere(context.user.roles, config().tenants, 'keys:read') : [context.tenant],
      inventoryStatus,
    ),
);

/** A rotator sets or clears the tenant's rotation period (connectionId null) or one connection's override. */
export const setRotationPeriodAction = authorizedAction(
  {
    name: 'setRotationPeriod',
    permission: 'policy:write',
    input: rotationPeriodInput,
    auth0Reads: ({ connectionId }) => (connectionId ? 1 : 0),
  },
  (input, context) =>
    setRotationPeriod(
      {
        store: auditStore,
        tenant: auditTenant(),
        connectionName: async (connectionId) => (await getConnection(connectionId)).name,
      },
      input,
      context,
    ),
);
