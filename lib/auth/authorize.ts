import 'server-only';
import { recordDenied } from './audit';
import { createAuthorize } from './authorize-core';
import { currentUser } from './session';

/** Session → role → permission, refusals recorded: used by `authorizedAction` and by route handlers alike. */
export const authorize = createAuthorize({
  currentUser,
  recordDenied,
  logError: (message, details) => console.error(`[keyshift] ${message}`, JSON.stringify(details)),
});
