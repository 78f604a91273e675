import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { type AuditStore, openAuditStore } from '@/lib/audit';
import type { CurrentUser } from '@/lib/auth/session-types';
import { Auth0Error } from '@/lib/auth0/errors';
import { configureIdpInput, confirmNextKeyInput, connectionInput } from '@/lib/schemas';
import { actionHelperFor } from '@/lib/testing/session-actions';
import { everywhere } from '@/lib/testing/tenants';
import { readiness } from './readiness';
import { configureIdp, confirmNextKey, type IdpDependencies, idpStatus } from './settings';

const rita: CurrentUser = { sub: 'auth0|rita', email: 'rita@example.com', name: 'Rita', roles: everywhere('rotator') };
const vic: CurrentUser = { sub: 'auth0|vic', email: 'vic@example.com', name: 'Vic', roles: everywhere('viewer') };
const CONNECTION = 'con_AAAAAAAAAAAAAAAA';
const MISSING = 'con_BBBBBBBBBBBBBBBB';
const TENANT = 'acme.eu.auth0.com';

const store: AuditStore = await openAuditStore({ memory: true });
afterAll(() => store.close());
let nextKid = 'kid-next-1';
beforeEach(() => {
  nextKid = 'kid-next-1';
});

const deps: IdpDependencies = {
  store: async () => store,
  tenant: TENANT,
  connectionName: async (id) => {
    if (id !== CONNECTION) throw new Auth0Error('auth0:not_found', 'The connection does not exist.', { status: 404 });
    return 'okta-acme';
  },
  nextKid: async () => nextKid,
};

/** The actions exactly as app/(dashboard)/connections/[id]/idp/actions.ts declares them, on a test session. */
function actionsFor(user: CurrentUser) {
  const { helper, spec } = actionHelperFor(user);
  return {
    status: helper(spec('idpStatus', 'keys:read', connectionInput), ({ connectionId }) =>
      idpStatus(deps, connectionId),
    ),
    configure: helper(spec('configureIdp', 'idp:configure', configureIdpInput), (input, context) =>
      configureIdp(deps, input, context),
    ),
    confirm: helper(spec('confirmNextKey', 'idp:configure', confirmNextKeyInput), (input, context) =>
      confirmNextKey(deps, input, context),
    ),
  };
}

async function idpEvents() {
  const { events } = await store.list({ filters: { types: ['idp.mode_changed', 'idp.next_key_confirmed'] } });
  return events;
}

async function snapshot() {
  return { setting: await store.idpSetting(TENANT, CONNECTION), events: (await idpEvents()).length };
}

describe('IdP settings through the authorized actions', () => {
  test.each([
    ['a viewer configures', false, vic, 'configure', { connectionId: CONNECTION, mode: 'pasted', cacheSeconds: 3600 }],
    ['a viewer confirms', false, vic, 'confirm', { connectionId: CONNECTION, kid: 'kid-next-1' }],
    ['a viewer reads', true, vic, 'status', { connectionId: CONNECTION }],
    [
      'a rotator configures',
      true,
      rita,
      'configure',
      { connectionId: CONNECTION, mode: 'jwks_url', cacheSeconds: 300 },
    ],
    ['a rotator reads', true, rita, 'status', { connectionId: CONNECTION }],
  ] as const)('%s (allowed: %s)', async (_label, allowed, user, name, input) => {
    const before = await snapshot();
    const result = await (actionsFor(user)[name] as (input: unknown) => Promise<{ ok: boolean; code?: string }>)(input);
    expect(result.ok).toBe(allowed);
    if (!allowed) {
      expect(result.code).toBe('forbidden');
      expect(await snapshot()).toEqual(before);
    }
  });

  test.each([
    ['an unknown mode', { connectionId: CONNECTION, mode: 'sometimes', cacheSeconds: 3600 }, 'mode'],
    ['a cache under a minute', { connectionId: CONNECTION, mode: 'jwks_url', cacheSeconds: 59 }, 'cacheSeconds'],
    ['a cache over 7 days', { connectionId: CONNECTION, mode: 'jwks_url', cacheSeconds: 604_801 }, 'cacheSeconds'],
    ['a fractional cache', { connectionId: CONNECTION, mode: 'jwks_url', cacheSeconds: 90.5 }, 'cacheSeconds'],
    ['a cache as text', { connectionId: CONNECTION, mode: 'jwks_url', cacheSeconds: '3600' }, 'cacheSeconds'],
    ['a bad connection id', { connectionId: 'okta-acme', mode: 'pasted', cacheSeconds: 3600 }, 'connectionId'],
    ['an extra field', { connectionId: CONNECTION, mode: 'pasted', cacheSeconds: 3600, owner: 'x' }, '_'],
  ])('refuses %s, naming the field, and changes nothing', async (_label, input, field) => {
    const before = await snapshot();
    const result = await actionsFor(rita).configure(input as never);
    expect(result).toMatchObject({ ok: false, code: 'invalid_input' });
    if (!result.ok) expect(Object.keys(result.fieldErrors ?? {})).toContain(field);
    expect(await snapshot()).toEqual(before);
  });

  test('a connection Auth0 does not have is refused and changes nothing', async () => {
    const result = await actionsFor(rita).configure({
      connectionId: MISSING,
      mode: 'pasted',
      cacheSeconds: 3600,
    });
    expect(result).toMatchObject({ ok: false, code: 'auth0:not_found' });
    expect(await store.idpSetting(TENANT, MISSING)).toBeNull();
    expect((await idpEvents()).filter((event) => event.connectionId === MISSING)).toEqual([]);
  });

  test('pasted: not ready, then the confirmation of the next kid makes it ready, each change audited', async () => {
    const actions = actionsFor(rita);
    const configured = await actions.configure({
      connectionId: CONNECTION,
      mode: 'pasted',
      cacheSeconds: 86_400,
    });
    if (!configured.ok) throw new Error(configured.message);
    const now = new Date();
    expect(readiness({ ...configured.data, nextKid, now })).toMatchObject({ state: 'not_ready' });
    const [modeChanged] = await idpEvents();
    expect(modeChanged).toMatchObject({
      type: 'idp.mode_changed',
      actorSub: rita.sub,
      tenant: TENANT,
      connectionId: CONNECTION,
      connectionName: 'okta-acme',
      details: { to: { mode: 'pasted', cacheSeconds: 86_400 } },
    });

    const confirmed = await actions.confirm({ connectionId: CONNECTION, kid: 'kid-next-1' });
    if (!confirmed.ok) throw new Error(confirmed.message);
    expect(confirmed.data.setting.attestation).toMatchObject({ kid: 'kid-next-1', bySub: rita.sub, byName: 'Rita' });
    expect(readiness({ ...confirmed.data, nextKid, now })).toMatchObject({ state: 'ready' });
    const [latest] = await idpEvents();
    expect(latest).toMatchObject({ type: 'idp.next_key_confirmed', newKid: 'kid-next-1', actorSub: rita.sub });

    // After a rotation the next key is another: the attestation was for exactly the old one.
    nextKid = 'kid-next-2';
    expect(readiness({ ...confirmed.data, nextKid, now })).toMatchObject({ state: 'not_ready' });
    expect(await store.verify()).toMatchObject({ ok: true });
  });

  test.each([
    ['a kid that is not the next key', 'pasted', 'kid-stale', /not the connection’s next key/],
    ['a connection whose IdP does not take pasted keys', 'jwks_url', 'kid-next-1', /set its mode first/],
  ] as const)('refuses to confirm %s and changes nothing', async (_label, mode, kid, message) => {
    const actions = actionsFor(rita);
    const configured = await actions.configure({ connectionId: CONNECTION, mode, cacheSeconds: 3600 });
    expect(configured.ok).toBe(true);
    const before = await snapshot();
    const result = await actions.confirm({ connectionId: CONNECTION, kid });
    expect(result).toMatchObject({ ok: false, code: 'conflict' });
    if (!result.ok) expect(result.message).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });

  test('an event whose setting the database refuses is not appended: both or neither', async () => {
    const before = await snapshot();
    if (!before.setting) throw new Error('an earlier test stores a setting');
    const { updatedAt: _, ...row } = before.setting;
    await expect(
      store.saveIdpSetting(
        { type: 'idp.mode_changed', actorSub: rita.sub, connectionId: CONNECTION },
        { ...row, cacheSeconds: 30 },
      ),
    ).rejects.toThrow();
    expect(await snapshot()).toEqual(before);
    expect(await store.verify()).toMatchObject({ ok: true });
  });
});
