'use server';

import { authorizedAction } from '@/lib/auth/action';
import { createHandoffLink, listHandoffLinks, revokeHandoffLink } from '@/lib/handoff/links';
import { liveHandoffDependencies } from '@/lib/handoff/live';
import { connectionInput, createHandoffLinkInput, revokeHandoffLinkInput } from '@/lib/schemas';

/** The connection's hand-off links with their status; the URL of an active one is for rotators to copy. */
export const listHandoffLinksAction = authorizedAction(
  { name: 'listHandoffLinks', permission: 'idp:configure', input: connectionInput },
  ({ connectionId }) => listHandoffLinks(liveHandoffDependencies(), connectionId),
);

export const createHandoffLinkAction = authorizedAction(
  { name: 'createHandoffLink', permission: 'idp:configure', input: createHandoffLinkInput, auth0Reads: () => 1 },
  (input, context) => createHandoffLink(liveHandoffDependencies(), input, context),
);

export const revokeHandoffLinkAction = authorizedAction(
  { name: 'revokeHandoffLink', permission: 'idp:configure', input: revokeHandoffLinkInput },
  (input, context) => revokeHandoffLink(liveHandoffDependencies(), input, context),
);
