import 'server-only';
import { processWide } from '@/lib/async/process-wide';
import type { TakeResult } from '@/lib/async/token-bucket';
import { auditStore } from '@/lib/audit';
import { auditTenant } from '@/lib/audit/events';
import { getConnection, listConnectionKeys } from '@/lib/auth0/connections';
import { connectionJwksUrl } from '@/lib/auth0/jwks';
import { config, tenantByDomain } from '@/lib/config';
import { inTenant } from '@/lib/tenants/scope';
import { describeHandoffKey } from './describe-key';
import type { HandoffDependencies } from './links';
import { createOpenBudget } from './open-budget';
import { createRefusalRecorder } from './refusals';
import { handoffSigningKey, verifyHandoffToken } from './token';

/** Hand-off links on the tenant in scope, the process-wide store and Auth0, signed under NEXTAUTH_SECRET's HKDF. */
export function liveHandoffDependencies(): HandoffDependencies {
  const settings = config();
  return {
    store: auditStore,
    tenant: auditTenant(),
    signingKey: processWide('handoff-signing-key', () => handoffSigningKey(settings.nextAuth.secret)),
    origin: settings.nextAuth.url,
    now: () => new Date(),
    connection: async (connectionId) => {
      const connection = await getConnection(connectionId);
      return { name: connection.name, keyCapable: connection.keyCapable };
    },
    keys: listConnectionKeys,
    jwksUrl: connectionJwksUrl,
    describeKey: describeHandoffKey,
    recordRefusedOpen: (linkId) => processWide('handoff-refusals', () => createRefusalRecorder())(linkId),
  };
}

/** Whether a token is one this Keyshift signed: checked before an open is charged to anyone's budget. */
export function isAuthenticHandoffToken(token: string): boolean {
  const key = processWide('handoff-signing-key', () => handoffSigningKey(config().nextAuth.secret));
  return verifyHandoffToken(key, token) !== null;
}

// One budget per process, however many route bundles include this module.
export function takeHandoffOpen(ip: string | null): TakeResult {
  return processWide('handoff-open-budget', () => createOpenBudget())(ip);
}

/**
 * Runs `work` in the scope of the tenant whose link `token` is (the public page has no tenant in its URL: the link
 * names it). Null when the token is not authentic, or its link or that tenant is not known here.
 */
export async function inHandoffTenant<T>(token: string, work: () => Promise<T>): Promise<T | null> {
  const key = processWide('handoff-signing-key', () => handoffSigningKey(config().nextAuth.secret));
  const verified = verifyHandoffToken(key, token);
  if (!verified) return null;
  const row = await (await auditStore()).handoffLink(verified.id);
  const tenant = row ? tenantByDomain(row.tenant) : undefined;
  return tenant ? inTenant(tenant, work) : null;
}
