import 'server-only';
import type { AuditStore } from '@/lib/audit';
import { settingOf } from './settings';
import type { IdpStatus } from './types';

/** A connection whose IdP's mode someone recorded, with what its readiness is computed from. */
export interface ListedIdpStatus {
  connectionId: string;
  status: IdpStatus;
}

/**
 * The IdP status of every configured connection of the tenant, for the connection list: two queries whatever the
 * tenant's size (the settings, then the latest next-key appearance of those connections). A connection left out has
 * mode `unknown`.
 */
export async function listIdpStatuses(
  store: Pick<AuditStore, 'configuredIdpSettings' | 'nextKeyAppearances'>,
  tenant: string,
): Promise<ListedIdpStatus[]> {
  const rows = await store.configuredIdpSettings(tenant);
  const appearances = await store.nextKeyAppearances(rows.map((row) => row.connectionId));
  return rows.map((row) => {
    const appearance = appearances.get(row.connectionId);
    return {
      connectionId: row.connectionId,
      status: {
        setting: settingOf(row),
        appearance: appearance ? { kid: appearance.kid, at: appearance.at.toISOString() } : null,
      },
    };
  });
}
