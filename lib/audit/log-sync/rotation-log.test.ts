import { describe, expect, test } from 'vitest';
import { externalRotationEvent, type RotationLogEntry } from '@/lib/audit/events';
import type { TenantLogEvent } from '@/lib/auth0/logs';
import {
  CLOCK_SKEW_MS,
  type KeyshiftRotation,
  keyshiftRotationFor,
  MAX_ROTATION_MS,
  parseRotationLog,
} from './rotation-log';

const CONNECTION = 'con_Zm2eT6xWc9FvN3jA';
const T = Date.parse('2025-06-01T12:00:00.000Z');
const at = (offsetMs: number) => new Date(T + offsetMs);

function log(overrides: Partial<TenantLogEvent> = {}): TenantLogEvent {
  return {
    logId: '90000000000000000000000000000000000000000000000000000042',
    date: at(0).toISOString(),
    type: 'sapi',
    description: 'Rotate connection keys',
    clientId: 'demo-m2m',
    clientName: 'Keyshift demo',
    ip: '127.0.0.1',
    userAgent: 'curl/8',
    request: { method: 'post', path: `/api/v2/connections/${CONNECTION}/keys/rotate`, body: { signing_alg: 'PS256' } },
    response: { statusCode: 201, body: { kid: 'kid-new', fingerprint: 'AB:CD', algorithm: 'PS256', next: true } },
    ...overrides,
  };
}

describe('parseRotationLog', () => {
  test.each<[string, Partial<TenantLogEvent>, boolean]>([
    ['a successful rotate', {}, true],
    ['a failed call (fapi)', { type: 'fapi' }, false],
    ['a login', { type: 's', request: null }, false],
    [
      'provisioning keys',
      { request: { method: 'post', path: `/api/v2/connections/${CONNECTION}/keys`, body: {} } },
      false,
    ],
    [
      'reading keys',
      { request: { method: 'get', path: `/api/v2/connections/${CONNECTION}/keys/rotate`, body: null } },
      false,
    ],
    [
      'a rotate of the tenant signing keys',
      { request: { method: 'post', path: '/api/v2/keys/signing/rotate', body: {} } },
      false,
    ],
    ['a rotate logged with a 4xx status', { response: { statusCode: 400, body: {} } }, false],
    [
      'a rotate path with a query string',
      { request: { method: 'post', path: `/api/v2/connections/${CONNECTION}/keys/rotate?x=1`, body: null } },
      true,
    ],
    [
      'a rotate with no method recorded',
      { request: { method: null, path: `/api/v2/connections/${CONNECTION}/keys/rotate`, body: null } },
      true,
    ],
  ])('%s → rotation: %s', (_label, overrides, isRotation) => {
    expect(parseRotationLog(log(overrides)) !== null).toBe(isRotation);
  });

  test('reads the connection, the new key and the algorithm', () => {
    expect(parseRotationLog(log())).toMatchObject({
      connectionId: CONNECTION,
      newKid: 'kid-new',
      newFingerprint: 'AB:CD',
      algorithm: 'PS256',
      clientId: 'demo-m2m',
      statusCode: 201,
    });
  });

  test('without a response body the kid is unknown and the algorithm is the one asked for', () => {
    expect(parseRotationLog(log({ response: { statusCode: 201, body: null } }))).toMatchObject({
      newKid: null,
      algorithm: 'PS256',
    });
  });
});

const entry = (overrides: Partial<TenantLogEvent> = {}) => parseRotationLog(log(overrides)) as RotationLogEntry;

function rotation(overrides: Partial<KeyshiftRotation> = {}): KeyshiftRotation {
  return {
    id: 7,
    connectionId: CONNECTION,
    outcome: 'succeeded',
    requestedAt: at(-2_000),
    settledAt: at(500),
    newKid: 'kid-new',
    ...overrides,
  };
}

describe('keyshiftRotationFor: which logged rotations Keyshift made (de-duplication)', () => {
  const noKid = { response: { statusCode: 201, body: null } };
  const otherClient = { clientId: 'dashboard-script', clientName: 'Ops script' };
  test.each<[string, Partial<TenantLogEvent>, KeyshiftRotation[], string | null, number | null]>([
    ['same client, same new kid', {}, [rotation()], 'demo-m2m', 7],
    [
      'same client, same new kid, long after (kid decides, not time)',
      {},
      [rotation({ settledAt: at(-600_000) })],
      'demo-m2m',
      7,
    ],
    ['another client, even with the same kid', otherClient, [rotation()], 'demo-m2m', null],
    ['same client, a different new kid', {}, [rotation({ newKid: 'kid-other' })], 'demo-m2m', null],
    ['same client, another connection', {}, [rotation({ connectionId: 'con_Q7tLk2vMx9RbW4sE' })], 'demo-m2m', null],
    ['no Keyshift rotation at all (a script with Keyshift’s credentials)', {}, [], 'demo-m2m', null],
    [
      'in progress, log inside its window',
      {},
      [rotation({ outcome: 'in_progress', settledAt: null, newKid: null })],
      'demo-m2m',
      7,
    ],
    [
      'in progress, log after its window',
      {},
      [
        rotation({
          outcome: 'in_progress',
          settledAt: null,
          newKid: null,
          requestedAt: at(-MAX_ROTATION_MS - CLOCK_SKEW_MS - 1),
        }),
      ],
      'demo-m2m',
      null,
    ],
    [
      'unknown outcome, log between request and outcome',
      {},
      [rotation({ outcome: 'unknown', newKid: null })],
      'demo-m2m',
      7,
    ],
    [
      'unknown outcome, log long after it settled',
      {},
      [rotation({ outcome: 'unknown', newKid: null, requestedAt: at(-300_000), settledAt: at(-200_000) })],
      'demo-m2m',
      null,
    ],
    [
      'unknown outcome, log a little before the request (clock skew)',
      {},
      [
        rotation({
          outcome: 'unknown',
          newKid: null,
          requestedAt: at(CLOCK_SKEW_MS - 1),
          settledAt: at(CLOCK_SKEW_MS),
        }),
      ],
      'demo-m2m',
      7,
    ],
    [
      'failed (Auth0 did nothing), inside the window',
      noKid,
      [rotation({ outcome: 'failed', newKid: null })],
      'demo-m2m',
      null,
    ],
    ['log without a kid, succeeded rotation inside the window', noKid, [rotation()], 'demo-m2m', 7],
    [
      'log without a kid, succeeded rotation outside the window',
      noKid,
      [rotation({ requestedAt: at(-100_000), settledAt: at(-90_000) })],
      'demo-m2m',
      null,
    ],
    ['static token (our client unknown): kid alone decides', otherClient, [rotation()], null, 7],
  ])('%s', (_label, overrides, candidates, ourClientId, expected) => {
    expect(keyshiftRotationFor(entry(overrides), candidates, ourClientId, new Map())?.id ?? null).toBe(expected);
  });

  test('one Keyshift rotation explains one log, not two, but the same log read again still finds it', () => {
    const claimed = new Map<number, string>();
    const inProgress = [rotation({ outcome: 'in_progress', settledAt: null, newKid: null })];
    const first = entry({ response: { statusCode: 201, body: { kid: 'kid-a' } } });
    const second = entry({ logId: '900…43', response: { statusCode: 201, body: { kid: 'kid-b' } } });
    expect(keyshiftRotationFor(first, inProgress, 'demo-m2m', claimed)?.id).toBe(7);
    expect(keyshiftRotationFor(second, inProgress, 'demo-m2m', claimed)).toBeNull();
    expect(keyshiftRotationFor(first, inProgress, 'demo-m2m', claimed)?.id).toBe(7);
  });
});

describe('externalRotationEvent', () => {
  test('keeps the log’s fields in details and names the client as the actor', () => {
    const event = externalRotationEvent(entry(otherClient()), {
      tenant: 'demo-tenant.local',
      connectionName: 'oidc-hooli',
      ourClientId: 'demo-m2m',
    });
    expect(event).toMatchObject({
      type: 'rotation.external',
      actorSub: 'dashboard-script',
      actorName: 'Ops script',
      connectionId: CONNECTION,
      connectionName: 'oidc-hooli',
      algorithm: 'PS256',
      newKid: 'kid-new',
      status: 201,
      clientIp: '127.0.0.1',
      userAgent: 'curl/8',
      details: {
        source: 'auth0-logs',
        logId: log().logId,
        date: at(0).toISOString(),
        clientId: 'dashboard-script',
        clientName: 'Ops script',
        ip: '127.0.0.1',
        userAgent: 'curl/8',
        madeWithKeyshiftClient: false,
      },
    });
  });

  test('says so when Keyshift’s own credentials were used outside Keyshift', () => {
    const event = externalRotationEvent(entry(), { tenant: 't', connectionName: null, ourClientId: 'demo-m2m' });
    expect(event.details).toMatchObject({ madeWithKeyshiftClient: true });
    expect(event.message).toMatch(/Keyshift’s machine-to-machine credentials/);
  });

  function otherClient(): Partial<TenantLogEvent> {
    return { clientId: 'dashboard-script', clientName: 'Ops script' };
  }
});
