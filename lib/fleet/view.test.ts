import { expect, it } from 'vitest';
import { countFleet, type FleetRow, packFleet, unpackFleet } from './fleet';
import { type FleetSnapshot, previewSnapshot } from './view';

const DAY = 86_400_000;
const row = (n: number): FleetRow => ({
  tenantSlug: 'prod',
  tenantName: 'Production',
  production: true,
  connectionId: `con_${n}`,
  name: `okta-${n}`,
  strategy: 'okta',
  keysState: 'provisioned',
  currentKid: `kid-${n}`,
  algorithm: 'RS256',
  currentSince: 0,
  periodDays: 365,
  periodSource: 'default',
  dueAt: ((n * 7) % 30) * DAY,
  state: n % 3 === 0 ? 'overdue' : 'ok',
  certNotAfter: null,
  certState: 'unknown',
  readiness: 'unknown',
  readinessReason: '',
  checkedAt: 0,
  stale: false,
  error: null,
});

it('a preview keeps the first rows by due date and the counts of them all; a small fleet is sent whole', () => {
  const rows = Array.from({ length: 30 }, (_, n) => row(n));
  const snapshot: FleetSnapshot = { packed: packFleet(rows), counts: countFleet(rows), now: 0, tenants: [] };
  const preview = previewSnapshot(snapshot, 20);
  const shown = unpackFleet(preview.packed);
  expect(shown).toHaveLength(20);
  expect(shown.map((r) => r.dueAt)).toEqual([...rows.map((r) => r.dueAt as number)].sort((a, b) => a - b).slice(0, 20));
  expect(preview.preview).toEqual({ total: 30 });
  expect(preview.counts).toEqual(countFleet(rows));
  expect(previewSnapshot(snapshot, 30)).toBe(snapshot);
});
