import 'server-only';
import type { AuditStore } from '@/lib/audit';
import { idpModeChangedEvent, idpNextKeyConfirmedEvent, type UserRequest } from '@/lib/audit/events';
import type { IdpSettingRow } from '@/lib/audit/idp-settings';
import { ActionError } from '@/lib/auth/action-core';
import { DEFAULT_CACHE_SECONDS, type IdpMode, type IdpSetting, type IdpStatus, UNKNOWN_IDP } from './types';

/** What the IdP settings need: the store, the tenant that keys them, and Auth0's view of the connection. */
export interface IdpDependencies {
  store: () => Promise<Pick<AuditStore, 'idpSetting' | 'saveIdpSetting' | 'nextKeyAppearance'>>;
  tenant: string;
  connectionName(connectionId: string): Promise<string>;
  /** The connection's next kid now, read from Auth0; null when it has none. */
  nextKid(connectionId: string): Promise<string | null>;
}

export function settingOf(row: IdpSettingRow | null): IdpSetting {
  if (!row) return UNKNOWN_IDP;
  return {
    mode: row.mode,
    cacheSeconds: row.cacheSeconds,
    attestation:
      row.confirmedKid && row.confirmedBySub && row.confirmedAt
        ? {
            kid: row.confirmedKid,
            bySub: row.confirmedBySub,
            byName: row.confirmedByName,
            byEmail: row.confirmedByEmail,
            at: row.confirmedAt.toISOString(),
          }
        : null,
  };
}

/** The setting and when the next key appeared: what readiness (readiness.ts) is computed from. */
export async function idpStatus(deps: IdpDependencies, connectionId: string): Promise<IdpStatus> {
  const store = await deps.store();
  const [row, appearance] = await Promise.all([
    store.idpSetting(deps.tenant, connectionId),
    store.nextKeyAppearance(connectionId),
  ]);
  return {
    setting: settingOf(row),
    appearance: appearance ? { kid: appearance.kid, at: appearance.at.toISOString() } : null,
  };
}

const emptyRow = (tenant: string, connectionId: string): IdpSettingRow => ({
  tenant,
  connectionId,
  mode: 'unknown',
  cacheSeconds: DEFAULT_CACHE_SECONDS,
  confirmedKid: null,
  confirmedBySub: null,
  confirmedByName: null,
  confirmedByEmail: null,
  confirmedAt: null,
  updatedAt: new Date(0),
});

/** Records how the connection's IdP learns keys; the event and the setting are stored together or not at all. */
export async function configureIdp(
  deps: IdpDependencies,
  input: { connectionId: string; mode: IdpMode; cacheSeconds: number },
  request: UserRequest,
): Promise<IdpStatus> {
  const name = await deps.connectionName(input.connectionId);
  const store = await deps.store();
  const { updatedAt: _, ...stored } =
    (await store.idpSetting(deps.tenant, input.connectionId)) ?? emptyRow(deps.tenant, input.connectionId);
  await store.saveIdpSetting(
    idpModeChangedEvent(
      request,
      { tenant: deps.tenant, id: input.connectionId, name },
      {
        from: { mode: stored.mode, cacheSeconds: stored.cacheSeconds },
        to: { mode: input.mode, cacheSeconds: input.cacheSeconds },
      },
    ),
    { ...stored, mode: input.mode, cacheSeconds: input.cacheSeconds },
  );
  return idpStatus(deps, input.connectionId);
}

/**
 * Records that the IdP admin confirmed they trust `kid`: only for a `pasted` IdP, and only for the connection's next
 * key as Auth0 has it now (a page a rotation behind cannot attest a key that is no longer next).
 */
export async function confirmNextKey(
  deps: IdpDependencies,
  input: { connectionId: string; kid: string },
  request: UserRequest,
): Promise<IdpStatus> {
  const store = await deps.store();
  const row = await store.idpSetting(deps.tenant, input.connectionId);
  if (row?.mode !== 'pasted') {
    throw new ActionError('conflict', 'Only an IdP whose admin pastes keys takes a confirmation; set its mode first.');
  }
  const [name, nextKid] = await Promise.all([
    deps.connectionName(input.connectionId),
    deps.nextKid(input.connectionId),
  ]);
  if (nextKid !== input.kid) {
    throw new ActionError(
      'conflict',
      nextKid
        ? `Key ${input.kid} is not the connection’s next key any more (it is ${nextKid}); reload the page.`
        : 'The connection has no next key to confirm.',
    );
  }
  const { updatedAt: _, ...stored } = row;
  await store.saveIdpSetting(
    idpNextKeyConfirmedEvent(request, { tenant: deps.tenant, id: input.connectionId, name }, input.kid),
    {
      ...stored,
      confirmedKid: input.kid,
      confirmedBySub: request.user.sub,
      confirmedByName: request.user.name,
      confirmedByEmail: request.user.email,
      confirmedAt: new Date(),
    },
  );
  return idpStatus(deps, input.connectionId);
}
