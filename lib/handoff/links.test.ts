import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { type AuditStore, openAuditStore } from '@/lib/audit';
import type { CurrentUser } from '@/lib/auth/session-types';
import type { ConnectionKey } from '@/lib/auth0/types';
import {
  connectionInput,
  createHandoffLinkInput,
  HANDOFF_MAX_DAYS,
  HANDOFF_MIN_DAYS,
  revokeHandoffLinkInput,
  HANDOFF_DEFAULT_DAYS as SCHEMA_DEFAULT_DAYS,
} from '@/lib/schemas';
import { actionHelperFor } from '@/lib/testing/session-actions';
import { everywhere } from '@/lib/testing/tenants';
import {
  createHandoffLink,
  type HandoffDependencies,
  handoffRefusal,
  listHandoffLinks,
  openHandoffLink,
  revokeHandoffLink,
} from './links';
import { handoffSigningKey, signHandoffToken } from './token';
import { HANDOFF_DAY_CHOICES, HANDOFF_DEFAULT_DAYS } from './types';

const rita: CurrentUser = { sub: 'auth0|rita', email: 'rita@example.com', name: 'Rita', roles: everywhere('rotator') };
const vic: CurrentUser = { sub: 'auth0|vic', email: 'vic@example.com', name: 'Vic', roles: everywhere('viewer') };
const CONNECTION = 'con_AAAAAAAAAAAAAAAA';
const OTHER = 'con_CCCCCCCCCCCCCCCC';
const TENANT = 'acme.eu.auth0.com';

const store: AuditStore = await openAuditStore({ memory: true });
afterAll(() => store.close());

let now = new Date('2030-05-01T12:00:00.250Z');
let keysFail = false;
beforeEach(() => {
  now = new Date('2030-05-01T12:00:00.250Z');
  keysFail = false;
});

const key = (kid: string, role: 'current' | 'next' | 'previous'): ConnectionKey => ({
  kid,
  cert: `-----BEGIN CERTIFICATE-----\n${kid}\n-----END CERTIFICATE-----`,
  pkcs: null,
  current: role === 'current',
  next: role === 'next',
  previous: role === 'previous',
  currentSince: null,
  fingerprint: 'AA',
  thumbprint: 'AA',
  algorithm: 'RS256',
  keyUse: 'signing',
  subjectDn: null,
});

const deps: HandoffDependencies = {
  store: async () => store,
  tenant: TENANT,
  signingKey: handoffSigningKey('a-server-secret-of-at-least-32-characters!'),
  origin: 'https://keyshift.example.com/',
  now: () => now,
  connection: async (id) => ({ name: id === CONNECTION ? 'okta-acme' : 'oidc-other', keyCapable: true }),
  keys: async () => {
    if (keysFail) throw new Error('Auth0 timed out');
    return [key('kid-prev', 'previous'), key('kid-cur', 'current'), key('kid-next', 'next')];
  },
  jwksUrl: (name) => `https://${TENANT}/oauth/connection/${name}/.well-known/jwks.json`,
  describeKey: async (k) => ({
    kid: k.kid,
    algorithm: k.algorithm,
    notBefore: null,
    notAfter: null,
    x5t: null,
    x5tS256: null,
    thumbprint: k.thumbprint,
    pem: k.cert,
    derBase64: null,
    jwk: `{"kid":"${k.kid}"}`,
    jwks: `{"keys":[{"kid":"${k.kid}"}]}`,
    jwkError: null,
  }),
};

function actionsFor(user: CurrentUser) {
  const { helper, spec } = actionHelperFor(user);
  return {
    list: helper(spec('listHandoffLinks', 'idp:configure', connectionInput), ({ connectionId }) =>
      listHandoffLinks(deps, connectionId),
    ),
    create: helper(spec('createHandoffLink', 'idp:configure', createHandoffLinkInput), (input, context) =>
      createHandoffLink(deps, input, context),
    ),
    revoke: helper(spec('revokeHandoffLink', 'idp:configure', revokeHandoffLinkInput), (input, context) =>
      revokeHandoffLink(deps, input, context),
    ),
  };
}

async function handoffEvents() {
  const { events } = await store.list({
    filters: { types: ['handoff.link_created', 'handoff.link_revoked', 'handoff.link_opened'] },
  });
  return events;
}

const tokenOf = (url: string | null) => (url ?? '').split('/handoff/')[1] ?? '';
const visitor = { ip: '198.51.100.7', userAgent: 'idp-admin-browser', requestId: 'req-open' };

async function created(days = 7) {
  const result = await actionsFor(rita).create({ connectionId: CONNECTION, expiresInDays: days });
  if (!result.ok) throw new Error(result.message);
  return result.data;
}

describe('hand-off links through the authorized actions', () => {
  test('a rotator creates a link: the row and its event, with who and until when; the URL carries a signed token', async () => {
    const before = (await handoffEvents()).length;
    const link = await created(3);
    expect(link).toMatchObject({ status: 'active', createdBy: { sub: rita.sub, name: 'Rita' }, revokedAt: null });
    // Whole seconds, three days on.
    expect(link.expiresAt).toBe('2030-05-04T12:00:00.000Z');
    expect(link.url).toMatch(
      /^https:\/\/keyshift\.example\.com\/handoff\/[A-Za-z0-9_-]{22}\.[0-9a-z]+\.[A-Za-z0-9_-]{43}$/,
    );
    const [event] = await handoffEvents();
    expect((await handoffEvents()).length).toBe(before + 1);
    expect(event).toMatchObject({
      type: 'handoff.link_created',
      actorSub: rita.sub,
      tenant: TENANT,
      connectionId: CONNECTION,
      connectionName: 'okta-acme',
      clientIp: '203.0.113.9',
      details: { linkId: link.id, expiresAt: link.expiresAt },
    });
    // The token is never stored or audited.
    expect(JSON.stringify(event)).not.toContain(tokenOf(link.url));
    expect((await store.handoffLink(link.id))?.connectionId).toBe(CONNECTION);
  });

  test.each([
    ['a viewer lists', 'list', { connectionId: CONNECTION }],
    ['a viewer creates', 'create', { connectionId: CONNECTION, expiresInDays: 7 }],
    ['a viewer revokes', 'revoke', { connectionId: CONNECTION, linkId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
  ] as const)('%s: refused, nothing written', async (_label, name, input) => {
    const before = (await handoffEvents()).length;
    const result = await (actionsFor(vic)[name] as (input: unknown) => Promise<{ ok: boolean; code?: string }>)(input);
    expect(result).toMatchObject({ ok: false, code: 'forbidden' });
    expect((await handoffEvents()).length).toBe(before);
  });

  test.each([
    ['0 days', { connectionId: CONNECTION, expiresInDays: 0 }, 'expiresInDays'],
    ['31 days', { connectionId: CONNECTION, expiresInDays: 31 }, 'expiresInDays'],
    ['1.5 days', { connectionId: CONNECTION, expiresInDays: 1.5 }, 'expiresInDays'],
    ['days as text', { connectionId: CONNECTION, expiresInDays: '7' }, 'expiresInDays'],
    ['a bad connection id', { connectionId: 'okta-acme', expiresInDays: 7 }, 'connectionId'],
    ['an extra field', { connectionId: CONNECTION, expiresInDays: 7, expiresAt: '2099-01-01' }, '_'],
  ])('creating with %s is refused, naming the field, and writes nothing', async (_label, input, field) => {
    const before = (await handoffEvents()).length;
    const result = await actionsFor(rita).create(input as never);
    expect(result).toMatchObject({ ok: false, code: 'invalid_input' });
    if (!result.ok) expect(Object.keys(result.fieldErrors ?? {})).toContain(field);
    expect((await handoffEvents()).length).toBe(before);
  });

  test('the panel offers only what the server accepts, and the same default', () => {
    for (const days of HANDOFF_DAY_CHOICES) {
      expect(createHandoffLinkInput.safeParse({ connectionId: CONNECTION, expiresInDays: days }).success).toBe(true);
    }
    expect(HANDOFF_DAY_CHOICES).toContain(HANDOFF_MIN_DAYS);
    expect(HANDOFF_DAY_CHOICES).toContain(HANDOFF_MAX_DAYS);
    expect(createHandoffLinkInput.parse({ connectionId: CONNECTION }).expiresInDays).toBe(HANDOFF_DEFAULT_DAYS);
    expect(HANDOFF_DEFAULT_DAYS).toBe(SCHEMA_DEFAULT_DAYS);
  });

  test('without a choice, a link lasts 7 days', async () => {
    const result = await actionsFor(rita).create({ connectionId: CONNECTION } as never);
    expect(result.ok && result.data.expiresAt).toBe('2030-05-08T12:00:00.000Z');
  });

  test('revoking: once, audited; again, or an unknown link, or another connection’s, is a clear refusal', async () => {
    const link = await created();
    const actions = actionsFor(rita);
    const revoked = await actions.revoke({ connectionId: CONNECTION, linkId: link.id });
    expect(revoked).toMatchObject({ ok: true, data: { status: 'revoked', url: null, revokedBy: { sub: rita.sub } } });
    const [event] = await handoffEvents();
    expect(event).toMatchObject({ type: 'handoff.link_revoked', details: { linkId: link.id }, actorSub: rita.sub });
    const count = (await handoffEvents()).length;

    const again = await actions.revoke({ connectionId: CONNECTION, linkId: link.id });
    expect(again).toMatchObject({ ok: false, code: 'conflict', message: expect.stringMatching(/already revoked/) });
    const unknown = await actions.revoke({
      connectionId: CONNECTION,
      linkId: 'AAAAAAAAAAAAAAAAAAAAAA',
    });
    expect(unknown).toMatchObject({ ok: false, code: 'conflict', message: expect.stringMatching(/no such/) });
    const other = await created();
    const wrongConnection = await actions.revoke({ connectionId: OTHER, linkId: other.id });
    expect(wrongConnection).toMatchObject({ ok: false, code: 'conflict' });
    expect((await handoffEvents()).length).toBe(count + 1); // only `other`'s creation
    expect((await store.handoffLink(other.id))?.revokedAt).toBeNull();
  });

  test('the store refuses a second revocation in the database too, and appends no event with it', async () => {
    const link = await created();
    const by = { sub: rita.sub, name: rita.name, email: rita.email };
    const event = { type: 'handoff.link_revoked', actorSub: rita.sub, connectionId: CONNECTION } as const;
    const row = { id: link.id, tenant: TENANT, connectionId: CONNECTION };
    await store.revokeHandoffLink(event, row, by);
    const count = (await handoffEvents()).length;
    await expect(store.revokeHandoffLink(event, row, by)).rejects.toThrow(/already revoked/);
    await expect(store.revokeHandoffLink(event, { ...row, id: 'BBBBBBBBBBBBBBBBBBBBBB' }, by)).rejects.toThrow(
      /No such/,
    );
    expect((await handoffEvents()).length).toBe(count);
    expect(await store.verify()).toMatchObject({ ok: true });
  });

  test('a link row the database refuses takes its event with it (both or neither)', async () => {
    const link = await created();
    const row = await store.handoffLink(link.id);
    if (!row) throw new Error('no row');
    const count = (await handoffEvents()).length;
    // The same id again: the primary key refuses the row, so the event must not stay.
    await expect(
      store.createHandoffLink({ type: 'handoff.link_created', actorSub: rita.sub, connectionId: CONNECTION }, row),
    ).rejects.toThrow();
    expect((await handoffEvents()).length).toBe(count);
    expect(await store.verify()).toMatchObject({ ok: true });
  });

  test('the list shows the connection’s links only, newest first, with their status', async () => {
    const result = await actionsFor(rita).list({ connectionId: CONNECTION });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.length).toBeGreaterThan(2);
    expect(new Set(result.data.map((link) => link.status))).toEqual(new Set(['active', 'revoked']));
    for (const link of result.data) expect(link.url === null).toBe(link.status !== 'active');
    const other = await actionsFor(rita).list({ connectionId: OTHER });
    expect(other.ok && other.data).toEqual([]);
  });
});

describe('opening a link', () => {
  test('a valid link shows that connection’s next and current keys (not the previous), and the open is audited', async () => {
    const link = await created();
    const result = await openHandoffLink(deps, tokenOf(link.url), visitor);
    expect(result).toMatchObject({
      status: 'valid',
      connectionName: 'okta-acme',
      tenant: TENANT,
      jwksUrl: `https://${TENANT}/oauth/connection/okta-acme/.well-known/jwks.json`,
    });
    if (result.status !== 'valid') return;
    expect(result.keys.map((k) => [k.role, k.kid])).toEqual([
      ['next', 'kid-next'],
      ['current', 'kid-cur'],
    ]);
    const [event] = await handoffEvents();
    expect(event).toMatchObject({
      type: 'handoff.link_opened',
      actorSub: null,
      clientIp: '198.51.100.7',
      userAgent: 'idp-admin-browser',
      connectionId: CONNECTION,
      status: 200,
      errorCode: null,
      details: { linkId: link.id, servedKids: ['kid-next', 'kid-cur'] },
    });
  });

  test('expiry: served up to the second before, refused from the second itself, and the refusal audited', async () => {
    const link = await created(1);
    const expiresAt = new Date(link.expiresAt);
    now = new Date(expiresAt.getTime() - 1);
    expect((await openHandoffLink(deps, tokenOf(link.url), visitor)).status).toBe('valid');
    now = expiresAt;
    expect(await openHandoffLink(deps, tokenOf(link.url), visitor)).toEqual({
      status: 'expired',
      expiredAt: link.expiresAt,
    });
    const [event] = await handoffEvents();
    expect(event).toMatchObject({ type: 'handoff.link_opened', errorCode: 'handoff_expired', status: 404 });
    expect(event?.details).not.toHaveProperty('servedKids');
    expect(await handoffRefusal(deps, tokenOf(link.url))).toEqual({ status: 'expired', expiredAt: link.expiresAt });
  });

  test('a revoked link is refused at once, audited with its reason', async () => {
    const link = await created();
    await actionsFor(rita).revoke({ connectionId: CONNECTION, linkId: link.id });
    const result = await openHandoffLink(deps, tokenOf(link.url), visitor);
    expect(result.status).toBe('revoked');
    const [event] = await handoffEvents();
    expect(event).toMatchObject({
      type: 'handoff.link_opened',
      errorCode: 'handoff_revoked',
      details: { linkId: link.id },
    });
  });

  test('a revoked link opened again and again is recorded as the recorder allows, not once per open', async () => {
    const link = await created();
    await actionsFor(rita).revoke({ connectionId: CONNECTION, linkId: link.id });
    const before = (await handoffEvents()).length;
    const allowed = [true, false, false];
    const throttled: HandoffDependencies = { ...deps, recordRefusedOpen: () => allowed.shift() ?? false };
    for (let open = 0; open < 3; open++) {
      expect((await openHandoffLink(throttled, tokenOf(link.url), visitor)).status).toBe('revoked');
    }
    const events = await handoffEvents();
    expect(events.length - before).toBe(1);
    expect(events[0]).toMatchObject({ type: 'handoff.link_opened', errorCode: 'handoff_revoked' });
  });

  test('a tampered token is refused without reading the database, and no event names the link', async () => {
    const link = await created();
    const token = tokenOf(link.url);
    const count = (await handoffEvents()).length;
    let reads = 0;
    const counting: HandoffDependencies = {
      ...deps,
      store: async () => {
        reads += 1;
        return store;
      },
    };
    const tampered = [
      `${token.slice(0, 3)}${token[3] === 'A' ? 'B' : 'A'}${token.slice(4)}`,
      token.replace(/\.([0-9a-z]+)\./, (_, e: string) => `.${(Number.parseInt(e, 36) + 86_400).toString(36)}.`),
      `${token.slice(0, -2)}${token.at(-2) === 'A' ? 'B' : 'A'}${token.at(-1)}`,
      signHandoffToken(handoffSigningKey('another-server-secret-of-32-characters!!'), {
        id: link.id,
        expiresAt: new Date(link.expiresAt),
      }),
    ];
    for (const value of tampered) {
      expect(await openHandoffLink(counting, value, visitor)).toEqual({ status: 'invalid' });
      expect(await handoffRefusal(counting, value)).toEqual({ status: 'invalid' });
    }
    expect(reads).toBe(0);
    expect((await handoffEvents()).length).toBe(count);
  });

  test('Auth0 not answering shows no keys and is audited as not served', async () => {
    const link = await created();
    keysFail = true;
    expect(await openHandoffLink(deps, tokenOf(link.url), visitor)).toEqual({ status: 'unavailable' });
    const [event] = await handoffEvents();
    expect(event).toMatchObject({ errorCode: 'handoff_unavailable', details: { linkId: link.id } });
  });

  test('a link of another tenant is not valid here', async () => {
    const link = await created();
    const elsewhere = { ...deps, tenant: 'other.eu.auth0.com' };
    expect(await openHandoffLink(elsewhere, tokenOf(link.url), visitor)).toEqual({ status: 'invalid' });
  });
});
