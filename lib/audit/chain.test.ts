import { describe, expect, test } from 'vitest';
import { canonicalEvent, canonicalJson, GENESIS_HASH, hashEvent } from './chain';
import type { AuditEvent } from './types';

test.each([
  [null, 'null'],
  [undefined, 'null'],
  ['a"b', '"a\\"b"'],
  [1.5, '1.5'],
  [[1, undefined, 'x'], '[1,null,"x"]'],
  [{ b: 1, a: { d: [], c: null } }, '{"a":{"c":null,"d":[]},"b":1}'],
  [{ skip: undefined, keep: false }, '{"keep":false}'],
  [new Date(Date.UTC(2026, 10, 26, 9, 30, 0, 5)), '"2026-11-26T09:30:00.005Z"'],
])('canonicalJson(%j) is %s', (value, expected) => {
  expect(canonicalJson(value)).toBe(expected);
});

const event: Omit<AuditEvent, 'hash'> = {
  id: 1,
  occurredAt: new Date(Date.UTC(2026, 10, 26, 9, 30)),
  type: 'rotation.requested',
  actorSub: 'auth0|ops',
  actorEmail: 'ops@acme.com',
  actorName: 'Ops',
  tenant: 'acme.auth0.com',
  connectionId: 'con_1',
  connectionName: 'acme-okta',
  algorithm: 'RS256',
  requestId: 'req-1',
  clientIp: null,
  userAgent: null,
  status: null,
  errorCode: null,
  message: null,
  newKid: null,
  newFingerprint: null,
  previousKid: 'kid-0',
  durationMs: null,
  details: { z: 1, a: 2 },
  requestedEventId: null,
  prevHash: GENESIS_HASH,
};

describe('hashEvent', () => {
  test('is pinned: changing the canonical form would make every stored chain fail verification', () => {
    expect(canonicalEvent(event)).toMatchInlineSnapshot(
      `"{"actorEmail":"ops@acme.com","actorName":"Ops","actorSub":"auth0|ops","algorithm":"RS256","clientIp":null,"connectionId":"con_1","connectionName":"acme-okta","details":{"a":2,"z":1},"durationMs":null,"errorCode":null,"id":1,"message":null,"newFingerprint":null,"newKid":null,"occurredAt":"2026-11-26T09:30:00.000Z","prevHash":"0000000000000000000000000000000000000000000000000000000000000000","previousKid":"kid-0","requestId":"req-1","requestedEventId":null,"status":null,"tenant":"acme.auth0.com","type":"rotation.requested","userAgent":null}"`,
    );
    expect(hashEvent(event)).toMatchInlineSnapshot(
      `"65daf5f33dd6301a8cba43bd9a8742f87176343fcdd6c9eca135bd18564afef6"`,
    );
  });

  test.each([
    ['id', { id: 2 }],
    ['occurredAt', { occurredAt: new Date(event.occurredAt.getTime() + 1) }],
    ['prevHash', { prevHash: 'f'.repeat(64) }],
    ['details', { details: { z: 1, a: 3 } }],
    ['a null becoming empty', { clientIp: '' }],
    ['requestedEventId', { requestedEventId: 7 }],
  ])('changes when %s changes', (_, change) => {
    expect(hashEvent({ ...event, ...change })).not.toBe(hashEvent(event));
  });

  test('ignores the key order of details (jsonb does not keep it)', () => {
    expect(hashEvent({ ...event, details: { a: 2, z: 1 } })).toBe(hashEvent(event));
  });
});
