import { describe, expect, test } from 'vitest';
import { campaignIdOf, describeOverride, readinessOverrideOf } from './override';
import type { AuditEventView } from './types';

function event(type: string, details: Record<string, unknown> | null): AuditEventView {
  return { id: 1, type, occurredAt: '2030-01-01T00:00:00.000Z', details } as AuditEventView;
}

const reason = 'No IdP admin has confirmed key c yet.';

describe('readinessOverrideOf', () => {
  test.each([
    ['an acknowledged override', { override: { readiness: 'not_ready', reason, acknowledged: true } }, true],
    ['no override', { promotedKid: 'c' }, false],
    ['no details', null, false],
    ['not acknowledged', { override: { readiness: 'not_ready', reason, acknowledged: false } }, false],
    ['a state that needs none', { override: { readiness: 'ready', reason, acknowledged: true } }, false],
    ['a reason that is not text', { override: { readiness: 'unknown', reason: 3, acknowledged: true } }, false],
  ])('%s', (_label, details, found) => {
    const events = [event('rotation.requested', details), event('rotation.succeeded', null)];
    expect(readinessOverrideOf(events) !== null).toBe(found);
  });

  test('reads the request, not the outcome', () => {
    const details = { override: { readiness: 'unknown', reason, acknowledged: true } };
    expect(readinessOverrideOf([event('rotation.succeeded', details)])).toBeNull();
  });
});

test.each([
  ['not_ready', `Rotated although the IdP was not ready: ${reason}`],
  ['unknown', `Rotated although the IdP’s readiness was unknown: ${reason}`],
] as const)('describeOverride %s', (readiness, sentence) => {
  expect(describeOverride({ readiness, reason })).toBe(sentence);
});

test('a rotation of a campaign names it in its events; others name none', () => {
  const event = (details: Record<string, unknown> | null) => ({ type: 'rotation.requested', details }) as never;
  expect(campaignIdOf([event({ promotedKid: 'k', campaignId: 'c-1' })])).toBe('c-1');
  expect(campaignIdOf([event({ promotedKid: 'k' }), event(null)])).toBeNull();
  expect(campaignIdOf([event({ campaignId: 7 })])).toBeNull();
});
