import 'server-only';
import { headers } from 'next/headers';
import { createActionHelper } from './action-core';
import { authorize, requestInfo } from './authorize';

export type { ActionContext, ActionResult } from './action-core';
export { ActionError } from './action-core';

export const authorizedAction = createActionHelper({
  authorize,
  requestInfo: async () => requestInfo(await headers()),
  logError: (message, details) => console.error(`[keyshift] ${message}`, JSON.stringify(details)),
});
