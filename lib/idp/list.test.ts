import { afterAll, describe, expect, test } from 'vitest';
import { type AuditStore, openAuditStore } from '@/lib/audit';
import type { IdpSettingWrite } from '@/lib/audit/idp-settings';
import { listIdpStatuses } from './list';
import { LIST_READINESS_NOTE, listReadiness } from './readiness';
import { DEFAULT_CACHE_SECONDS, type IdpSetting, type IdpStatus } from './types';

const TENANT = 'acme.eu.auth0.com';
const OTHER_TENANT = 'other.eu.auth0.com';
const store: AuditStore = await openAuditStore({ memory: true });
afterAll(() => store.close());

const row = (connectionId: string, mode: IdpSettingWrite['mode'], tenant = TENANT): IdpSettingWrite => ({
  tenant,
  connectionId,
  mode,
  cacheSeconds: 3600,
  confirmedKid: null,
  confirmedBySub: null,
  confirmedByName: null,
  confirmedByEmail: null,
  confirmedAt: null,
});

async function configure(setting: IdpSettingWrite) {
  await store.saveIdpSetting(
    { type: 'idp.mode_changed', actorSub: 'auth0|rita', tenant: setting.tenant, connectionId: setting.connectionId },
    setting,
  );
}

async function provisioned(connectionId: string, kid: string) {
  await store.append({ type: 'keys.provisioned', actorSub: 'auth0|rita', connectionId, newKid: kid });
}

describe('listIdpStatuses: the list’s batch read', () => {
  test('configured connections of the tenant only, each with its own latest next-key appearance', async () => {
    await configure(row('con_jwks', 'jwks_url'));
    await configure(row('con_pasted', 'pasted'));
    await configure(row('con_unknown', 'unknown'));
    await configure(row('con_elsewhere', 'pasted', OTHER_TENANT));
    await provisioned('con_jwks', 'kid-j1');
    await provisioned('con_pasted', 'kid-p1');
    await provisioned('con_jwks', 'kid-j2');
    await provisioned('con_unknown', 'kid-u1');
    // A rotation outside Keyshift: its next key appeared when Auth0's log says, not when the sync recorded it.
    await store.append({
      type: 'rotation.external',
      actorSub: 'client-1',
      connectionId: 'con_pasted',
      newKid: 'kid-p2',
      details: { logId: '9001', date: '2030-01-01T00:00:00.000Z' },
    });

    const listed = await listIdpStatuses(store, TENANT);
    const byId = new Map(listed.map((entry) => [entry.connectionId, entry.status]));
    expect([...byId.keys()].sort()).toEqual(['con_jwks', 'con_pasted']);
    expect(byId.get('con_jwks')).toMatchObject({
      setting: { mode: 'jwks_url', cacheSeconds: 3600, attestation: null },
      appearance: { kid: 'kid-j2' },
    });
    expect(byId.get('con_pasted')?.appearance).toEqual({ kid: 'kid-p2', at: '2030-01-01T00:00:00.000Z' });
  });

  test('agrees with the per-connection read the connection page makes', async () => {
    for (const { connectionId, status } of await listIdpStatuses(store, TENANT)) {
      const one = await store.nextKeyAppearance(connectionId);
      expect(status.appearance).toEqual(one ? { kid: one.kid, at: one.at.toISOString() } : null);
    }
  });

  test('a tenant with nothing configured costs one query and lists nothing', async () => {
    expect(await listIdpStatuses(store, 'empty.example')).toEqual([]);
    expect((await store.nextKeyAppearances([])).size).toBe(0);
  });
});

const now = new Date('2030-06-01T12:00:00.000Z');
const HOUR = 3_600_000;
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
const setting = (mode: IdpSetting['mode'], extra: Partial<IdpSetting> = {}): IdpSetting => ({
  mode,
  cacheSeconds: DEFAULT_CACHE_SECONDS,
  attestation: null,
  ...extra,
});
const attested = (kid: string, at: string) => ({ kid, bySub: 'auth0|rita', byName: 'Rita', byEmail: null, at });

describe('listReadiness: the latest kid Keyshift’s records name is the next kid', () => {
  test.each<[string, IdpStatus, 'ready' | 'not_ready' | 'unknown', string]>([
    ['unknown mode', { setting: setting('unknown'), appearance: null }, 'unknown', 'Nobody has recorded'],
    [
      'jwks_url, the next key appeared two days ago, 24 h cache',
      { setting: setting('jwks_url'), appearance: { kid: 'k2', at: ago(48 * HOUR) } },
      'ready',
      'appeared 2 d ago',
    ],
    [
      'jwks_url, appeared 2 h ago',
      { setting: setting('jwks_url'), appearance: { kid: 'k2', at: ago(2 * HOUR) } },
      'not_ready',
      'ready in 22 h',
    ],
    [
      'pasted, the appeared key confirmed after it appeared',
      {
        setting: setting('pasted', { attestation: attested('k2', ago(HOUR)) }),
        appearance: { kid: 'k2', at: ago(2 * HOUR) },
      },
      'ready',
      'confirmed key k2',
    ],
    [
      'pasted, a rotation since the confirmation made a new next key',
      {
        setting: setting('pasted', { attestation: attested('k1', ago(3 * HOUR)) }),
        appearance: { kid: 'k2', at: ago(HOUR) },
      },
      'not_ready',
      'No IdP admin has confirmed key k2 yet.',
    ],
    [
      'pasted, confirmed, and the trail names no key (keys older than Keyshift)',
      { setting: setting('pasted', { attestation: attested('k1', ago(HOUR)) }), appearance: null },
      'ready',
      'confirmed key k1',
    ],
    [
      'jwks_url, the next key appeared two days ago unnamed (an external rotation): timed as on the page',
      { setting: setting('jwks_url'), appearance: { kid: null, at: ago(48 * HOUR) } },
      'ready',
      'appeared 2 d ago',
    ],
    [
      'pasted, a key appeared unnamed after the confirmation',
      {
        setting: setting('pasted', { attestation: attested('k1', ago(3 * HOUR)) }),
        appearance: { kid: null, at: ago(HOUR) },
      },
      'not_ready',
      'No IdP admin has confirmed the next key that appeared last.',
    ],
    [
      'pasted, nothing confirmed, the trail names no key',
      { setting: setting('pasted'), appearance: null },
      'not_ready',
      'do not name the connection’s next key',
    ],
  ])('%s: %s', (_label, status, state, reason) => {
    const found = listReadiness(status, now);
    expect(found.state).toBe(state);
    expect(found.reason).toContain(reason);
  });

  test('the note says where the figures come from', () => {
    expect(LIST_READINESS_NOTE).toMatch(/Keyshift’s records.*connection page checks Auth0/);
  });
});
