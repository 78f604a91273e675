'use server';

import { z } from 'zod';
import { authorizedAction } from '@/lib/auth/action';
import { connectionList, listScopeSchema, refreshConnectionList } from '@/lib/auth0/connection-cache';
import { connectionKeySummaries, MAX_KEY_SUMMARIES } from '@/lib/auth0/overview';
import { toWire } from '@/lib/connections/wire';
import { liveIdpStatuses } from '@/lib/idp/live';
import { connectionIdSchema } from '@/lib/schemas';

/** A cold small tenant lists in one page: wait that long so it needs no second round trip. */
const COLD_WAIT_MS = 250;

const listInput = z
  .object({
    scope: listScopeSchema.default('key-capable'),
    /** The `fetchedAt` of the list the browser holds: answered with progress only while that is still current. */
    since: z.number().int().nonnegative().optional(),
  })
  .strict();

export const listConnectionsAction = authorizedAction(
  { name: 'listConnections', permission: 'connections:read', input: listInput, auth0Reads: () => 1 },
  async ({ scope, since }) => toWire(await connectionList(scope, { waitMs: COLD_WAIT_MS, since })),
);

export const refreshConnectionsAction = authorizedAction(
  {
    name: 'refreshConnections',
    permission: 'connections:read',
    input: z.object({ scope: listScopeSchema }).strict(),
    auth0Reads: () => 1,
  },
  async ({ scope }) => toWire(refreshConnectionList(scope)),
);

export const connectionKeySummariesAction = authorizedAction(
  {
    name: 'connectionKeySummaries',
    permission: 'keys:read',
    input: z.object({ ids: z.array(connectionIdSchema).min(1).max(MAX_KEY_SUMMARIES) }).strict(),
    // One key read per connection asked about.
    auth0Reads: ({ ids }) => new Set(ids).size,
  },
  ({ ids }) => connectionKeySummaries(ids),
);

/**
 * The IdP status of every configured connection, from Keyshift's own records in two queries (no Auth0 read): the
 * list computes each one's readiness from it. Connections left out have mode `unknown`.
 */
export const listIdpStatusesAction = authorizedAction(
  { name: 'listIdpStatuses', permission: 'keys:read', input: z.object({}).strict() },
  () => liveIdpStatuses(),
);
