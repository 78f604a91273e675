import 'server-only';
import { headers } from 'next/headers';
import { auditStore } from '@/lib/audit';
import { accessDeniedEvent } from '@/lib/audit/events';
import { createActionHelper } from './action-core';
import { currentUser } from './session';

export type { ActionContext, ActionResult } from './action-core';
export { ActionError } from './action-core';

async function requestInfo() {
  const list = await headers();
  // Behind a load balancer the client is the first hop of x-forwarded-for.
  const forwarded = list.get('x-forwarded-for')?.split(',')[0]?.trim();
  return { ip: forwarded || list.get('x-real-ip') || null, userAgent: list.get('user-agent') };
}

export const authorizedAction = createActionHelper({
  currentUser,
  requestInfo,
  recordDenied: async (attempt) => {
    await (await auditStore()).append(accessDeniedEvent(attempt));
  },
  logError: (message, details) => console.error(`[keyshift] ${message}`, JSON.stringify(details)),
});
