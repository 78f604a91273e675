import 'server-only';
import { headers } from 'next/headers';
import { createActionHelper } from './action-core';
import { recordDenied } from './audit';
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
  recordDenied,
  logError: (message, details) => console.error(`[keyshift] ${message}`, JSON.stringify(details)),
});
