'use server';

import { z } from 'zod';
import { authorizedAction } from '@/lib/auth/action';
import { listConnectionOverview } from '@/lib/auth0/overview';

export const listConnectionsAction = authorizedAction(
  { name: 'listConnections', permission: 'connections:read', input: z.object({}).strict() },
  () => listConnectionOverview(),
);
