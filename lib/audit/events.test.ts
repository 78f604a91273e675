import { beforeAll, describe, expect, test } from 'vitest';
import type { ConnectionKey } from '@/lib/auth0/types';
import { inTenant } from '@/lib/tenants/scope';
import { TEST_TENANT } from '@/lib/testing/tenants';
import {
  accessDeniedEvent,
  keysProvisionedEvent,
  type RotationContext,
  requestedPromotedKid,
  rotationFailedEvent,
  rotationOutcomeEvent,
  rotationRequestedEvent,
  rotationSucceededEvent,
  rotationUnknownEvent,
  settledRequestOutcomeEvent,
  signInEvent,
} from './events';
import { openAuditStore } from './store';
import type { AuditEvent, AuditEventInput } from './types';

const DEMO = { ...TEST_TENANT, domain: 'demo-tenant.local' };

// The configured tenant (auditTenant) is the demo tenant; this file runs in its own Vitest fork.
beforeAll(() => {
  process.env.KEYSHIFT_DEMO = '1';
});

const alice = { sub: 'auth0|alice', email: 'alice@example.com', name: 'Alice', role: 'rotator' };
const rotation: RotationContext = {
  tenant: 'acme.eu.auth0.com',
  requestId: 'req-1',
  user: alice,
  connectionId: 'con_Zm2eT6xWc9FvN3jA',
  connectionName: 'oidc-hooli',
  algorithm: 'ES256',
  clientIp: '203.0.113.1',
  userAgent: 'vitest',
};
const rotationFields = {
  requestId: 'req-1',
  actorSub: 'auth0|alice',
  actorEmail: 'alice@example.com',
  actorName: 'Alice',
  tenant: 'acme.eu.auth0.com',
  connectionId: 'con_Zm2eT6xWc9FvN3jA',
  connectionName: 'oidc-hooli',
  algorithm: 'ES256',
  clientIp: '203.0.113.1',
  userAgent: 'vitest',
};
const key = (kid: string, state: 'current' | 'next'): ConnectionKey => ({
  kid,
  cert: 'pem',
  pkcs: null,
  current: state === 'current',
  next: state === 'next',
  previous: false,
  currentSince: null,
  fingerprint: `F:${kid}`,
  thumbprint: `T${kid}`,
  algorithm: 'RS256',
  keyUse: 'signing',
  subjectDn: 'CN=acme',
});
const request = { user: alice, requestId: 'req-2', ip: '203.0.113.2', userAgent: 'ua' };
const denied = { action: 'rotateKeys', permission: 'keys:rotate', requestId: 'req-3', ip: null, userAgent: 'ua' };

describe('the event each builder makes, field for field', () => {
  test.each<[string, () => AuditEventInput, AuditEventInput]>([
    [
      'rotation.requested',
      () => rotationRequestedEvent(rotation, 'kid-old'),
      { type: 'rotation.requested', ...rotationFields, previousKid: 'kid-old' },
    ],
    [
      'rotation.requested, with the kid it will promote',
      () => rotationRequestedEvent(rotation, 'kid-old', 'kid-next'),
      { type: 'rotation.requested', ...rotationFields, previousKid: 'kid-old', details: { promotedKid: 'kid-next' } },
    ],
    [
      'rotation.succeeded',
      () =>
        rotationSucceededEvent(rotation, {
          previousKid: 'kid-old',
          status: 201,
          newKid: 'kid-new',
          newFingerprint: 'F:new',
          durationMs: 12,
        }),
      {
        type: 'rotation.succeeded',
        ...rotationFields,
        previousKid: 'kid-old',
        status: 201,
        newKid: 'kid-new',
        newFingerprint: 'F:new',
        durationMs: 12,
      },
    ],
    [
      'rotation.failed',
      () => rotationFailedEvent(rotation, { previousKid: null, errorCode: 'conflict', message: 'Bob is rotating' }),
      {
        type: 'rotation.failed',
        ...rotationFields,
        previousKid: null,
        errorCode: 'conflict',
        message: 'Bob is rotating',
      },
    ],
    [
      'rotation.unknown',
      () =>
        rotationUnknownEvent(rotation, {
          previousKid: 'kid-old',
          status: 504,
          errorCode: 'auth0:timeout',
          message: 'unsure',
          durationMs: 15_000,
        }),
      {
        type: 'rotation.unknown',
        ...rotationFields,
        previousKid: 'kid-old',
        status: 504,
        errorCode: 'auth0:timeout',
        message: 'unsure',
        durationMs: 15_000,
      },
    ],
    [
      'keys.provisioned',
      () =>
        keysProvisionedEvent(
          request,
          { id: 'con_Q7tLk2vMx9RbW4sE', name: 'okta-acme' },
          { algorithm: null, keys: [key('a', 'current'), key('b', 'next')] },
        ),
      {
        type: 'keys.provisioned',
        actorSub: 'auth0|alice',
        actorEmail: 'alice@example.com',
        actorName: 'Alice',
        tenant: 'demo-tenant.local',
        connectionId: 'con_Q7tLk2vMx9RbW4sE',
        connectionName: 'okta-acme',
        algorithm: 'RS256',
        requestId: 'req-2',
        clientIp: '203.0.113.2',
        userAgent: 'ua',
        status: 201,
        newKid: 'b',
        newFingerprint: 'F:b',
        details: { currentKid: 'a' },
      },
    ],
    [
      'access.denied without a session',
      () => accessDeniedEvent({ ...denied, user: null, role: null, reason: 'unauthenticated' }),
      {
        type: 'access.denied',
        actorSub: undefined,
        actorEmail: undefined,
        actorName: undefined,
        tenant: 'demo-tenant.local',
        requestId: 'req-3',
        clientIp: null,
        userAgent: 'ua',
        message: 'No session.',
        details: { action: 'rotateKeys', permission: 'keys:rotate', reason: 'unauthenticated' },
      },
    ],
    [
      'access.denied for a role',
      () => accessDeniedEvent({ ...denied, user: alice, role: 'viewer', reason: 'forbidden' }),
      {
        type: 'access.denied',
        actorSub: 'auth0|alice',
        actorEmail: 'alice@example.com',
        actorName: 'Alice',
        tenant: 'demo-tenant.local',
        requestId: 'req-3',
        clientIp: null,
        userAgent: 'ua',
        message: 'Role viewer lacks keys:rotate.',
        details: { action: 'rotateKeys', permission: 'keys:rotate', reason: 'forbidden' },
      },
    ],
    [
      'auth.signin',
      () => signInEvent({ ...alice, roles: { all: null, bySlug: { dev: 'rotator' } } }),
      {
        type: 'auth.signin',
        actorSub: 'auth0|alice',
        actorEmail: 'alice@example.com',
        actorName: 'Alice',
        details: { role: null, roles: { dev: 'rotator' } },
      },
    ],
  ])('%s', (_type, build, expected) => {
    expect(inTenant(DEMO, build)).toEqual(expected);
  });

  test.each([
    ['rotation.succeeded', rotationSucceededEvent],
    ['rotation.failed', rotationFailedEvent],
    ['rotation.unknown', rotationUnknownEvent],
  ] as const)('rotationOutcomeEvent of type %s is what %o makes', (type, builder) => {
    const facts = { previousKid: 'kid-old', status: 503, errorCode: 'auth0:upstream', message: 'm', durationMs: 9 };
    expect(rotationOutcomeEvent(rotation, { type, ...facts })).toEqual(builder(rotation, facts));
  });
});

test('an outcome settling a stored request names what the request named', async () => {
  const store = await openAuditStore({ memory: true });
  try {
    const requested: AuditEvent = await store.append(rotationRequestedEvent(rotation, 'kid-old', 'kid-next'));
    const outcome = await store.append(
      settledRequestOutcomeEvent(requested, { type: 'rotation.failed', previousKid: 'kid-old' }),
    );
    const { type: _requested, details: _details, ...asked } = rotationRequestedEvent(rotation, 'kid-old');
    expect(outcome).toMatchObject({ ...asked, type: 'rotation.failed', requestedEventId: requested.id, details: null });
    expect(requestedPromotedKid(requested)).toBe('kid-next');
    const older = await store.append({ ...rotationRequestedEvent(rotation, 'kid-old'), requestId: 'req-older' });
    expect(requestedPromotedKid(older)).toBeUndefined();
  } finally {
    await store.close();
  }
});
