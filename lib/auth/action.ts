import 'server-only';
import { headers } from 'next/headers';
import { processWide } from '@/lib/async/process-wide';
import { KeyedTokenBuckets } from '@/lib/async/token-bucket';
import { config, tenantBySlug } from '@/lib/config';
import { inTenant } from '@/lib/tenants/scope';
import { createActionHelper } from './action-core';
import { authorize, requestInfo } from './authorize';

export type { ActionContext, ActionResult } from './action-core';
export { ActionError } from './action-core';

// One budget per user in this process, however many route bundles include this module.
const readBudget = () => processWide('auth0-read-budget', () => new KeyedTokenBuckets(config().auth0.readRateLimit));

export const authorizedAction = createActionHelper({
  authorize,
  requestInfo: async () => requestInfo(await headers()),
  readBudget: { take: (key, cost) => readBudget().take(key, cost) },
  tenantBySlug,
  inTenant,
  logError: (message, details) => console.error(`[keyshift] ${message}`, JSON.stringify(details)),
});
