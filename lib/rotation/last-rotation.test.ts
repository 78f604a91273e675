import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AuditStore, openAuditStore } from '@/lib/audit';
import {
  externalRotationEvent,
  type RotationContext,
  rotationFailedEvent,
  rotationRequestedEvent,
  rotationSucceededEvent,
} from '@/lib/audit/events';
import { lastKnownRotation } from './last-rotation';

const CONNECTION = 'con_AAAAAAAAAAAAAAAA';
const rotation = (requestId: string, connectionId = CONNECTION): RotationContext => ({
  tenant: 'demo-tenant.local',
  requestId,
  user: { sub: 'auth0|alice', email: 'alice@example.com', name: 'Alice Rotator' },
  connectionId,
  connectionName: 'acme',
  algorithm: 'RS256',
  clientIp: null,
  userAgent: null,
});
const external = (date: string, connectionId = CONNECTION) =>
  externalRotationEvent(
    {
      logId: `log-${date}`,
      date,
      connectionId,
      clientId: 'cli_deploy',
      clientName: 'Deploy Bot',
      ip: null,
      userAgent: null,
      description: null,
      statusCode: 201,
      newKid: 'k9',
      newFingerprint: null,
      algorithm: 'RS256',
    },
    { tenant: 'demo-tenant.local', connectionName: 'acme', ourClientId: null },
  );

let store: AuditStore;
beforeAll(async () => {
  store = await openAuditStore({ memory: true });
});
afterAll(async () => store.close());

describe('lastKnownRotation', () => {
  test('none recorded: null', async () => {
    expect(await lastKnownRotation(store, 'con_CCCCCCCCCCCCCCCC')).toBeNull();
  });

  test('Keyshift’s own succeeded rotation: the operator, at the outcome’s time; failures and other connections do not count', async () => {
    await store.append(rotationRequestedEvent(rotation('r1'), 'a', 'b'));
    const succeeded = await store.append(rotationSucceededEvent(rotation('r1'), { previousKid: 'a', newKid: 'c' }));
    await store.append(rotationRequestedEvent(rotation('r2'), null));
    await store.append(rotationFailedEvent(rotation('r2'), { previousKid: null, errorCode: 'conflict' }));
    await store.append(rotationRequestedEvent(rotation('r3', 'con_BBBBBBBBBBBBBBBB'), 'x', 'y'));
    await store.append(rotationSucceededEvent(rotation('r3', 'con_BBBBBBBBBBBBBBBB'), { previousKid: 'x' }));
    expect(await lastKnownRotation(store, CONNECTION)).toEqual({
      who: 'Alice Rotator',
      at: succeeded.occurredAt,
      external: false,
    });
  });

  test('a rotation outside Keyshift, newer: the client the tenant log names, at the log’s date', async () => {
    const other = 'con_DDDDDDDDDDDDDDDD';
    await store.append(rotationRequestedEvent(rotation('r4', other), 'a', 'b'));
    await store.append(rotationSucceededEvent(rotation('r4', other), { previousKid: 'a', newKid: 'c' }));
    await store.append(external('2030-01-01T12:00:00.000Z', other));
    expect(await lastKnownRotation(store, other)).toEqual({
      who: 'Deploy Bot',
      at: new Date('2030-01-01T12:00:00.000Z'),
      external: true,
    });
  });
});
