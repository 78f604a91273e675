import 'server-only';
import { headers } from 'next/headers';
import { createActionHelper } from './action-core';
import { authorize } from './authorize';
import { requestInfoFrom } from './authorize-core';

export type { ActionContext, ActionResult } from './action-core';
export { ActionError } from './action-core';

export const authorizedAction = createActionHelper({
  authorize,
  requestInfo: async () => requestInfoFrom(await headers()),
  logError: (message, details) => console.error(`[keyshift] ${message}`, JSON.stringify(details)),
});
