import { describe, expect, it } from 'vitest';
import type { RotationCount } from '@/lib/audit';
import { TEST_TENANT } from '@/lib/testing/tenants';
import type { FleetRow } from './fleet';
import { metricsAuthorized, renderMetrics } from './metrics';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const ROW: FleetRow = {
  tenantSlug: 'acme',
  tenantName: 'Acme',
  production: true,
  connectionId: 'con_1',
  name: 'okta-"quoted"',
  strategy: 'okta',
  keysState: 'provisioned',
  currentKid: 'kid-1',
  algorithm: 'RS256',
  currentSince: NOW - 3600_000,
  periodDays: 90,
  periodSource: 'connection',
  dueAt: Date.parse('2027-03-03T11:00:00Z'),
  state: 'ok',
  certNotAfter: Date.parse('2027-12-03T11:00:00Z'),
  certState: 'ok',
  readiness: 'not_ready',
  readinessReason: '',
  checkedAt: Date.parse('2026-12-03T11:59:00Z'),
  stale: false,
  error: null,
};

/** The value of the sample with exactly these labels, parsed from the exposition text. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [
        m[1],
        (m[2] ?? '').replace(/\\(.)/g, '$1'),
      ]),
    );
    if (
      Object.keys(labels).length === Object.keys(found).length &&
      Object.entries(labels).every(([k, v]) => found[k] === v)
    )
      return Number(match[3]);
  }
  return undefined;
}

describe('/metrics text', () => {
  it('gives each fact of the current key, labelled by tenant and connection, and rotations by outcome', async () => {
    const rotations: RotationCount[] = [
      {
        tenant: TEST_TENANT.domain,
        connectionId: 'con_1',
        connectionName: 'okta-"quoted"',
        outcome: 'succeeded',
        count: 3,
      },
      {
        tenant: TEST_TENANT.domain,
        connectionId: 'con_1',
        connectionName: 'okta-"quoted"',
        outcome: 'failed',
        count: 1,
      },
      { tenant: 'gone.example.com', connectionId: 'con_9', connectionName: 'x', outcome: 'succeeded', count: 7 },
    ];
    const { contentType, body } = await renderMetrics([{ tenant: TEST_TENANT, rows: [ROW] }], rotations, NOW);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const labels = { tenant: 'acme', connection_id: 'con_1', connection: 'okta-"quoted"' };
    expect(sample(body, 'keyshift_key_age_seconds', labels)).toBe(3600);
    expect(sample(body, 'keyshift_key_due_timestamp_seconds', labels)).toBe(Date.parse('2027-03-03T11:00:00Z') / 1000);
    expect(sample(body, 'keyshift_certificate_not_after_timestamp_seconds', labels)).toBe(
      Date.parse('2027-12-03T11:00:00Z') / 1000,
    );
    expect(sample(body, 'keyshift_rotation_period_days', labels)).toBe(90);
    expect(sample(body, 'keyshift_connection_ready', labels)).toBe(0);
    expect(sample(body, 'keyshift_key_due_state', { ...labels, state: 'ok' })).toBe(1);
    expect(sample(body, 'keyshift_key_due_state', { ...labels, state: 'overdue' })).toBe(0);
    expect(sample(body, 'keyshift_inventory_checked_timestamp_seconds', labels)).toBe(
      Date.parse('2026-12-03T11:59:00Z') / 1000,
    );
    expect(sample(body, 'keyshift_rotations_total', { ...labels, outcome: 'succeeded' })).toBe(3);
    expect(sample(body, 'keyshift_rotations_total', { ...labels, outcome: 'failed' })).toBe(1);
    expect(body).not.toContain('con_9');
    expect(body).toContain('# TYPE keyshift_rotations_total counter');
  });
});

describe('the bearer token', () => {
  const token = 'a-long-metrics-token-0123456789';
  it.each([
    [`Bearer ${token}`, true],
    [`bearer ${token}`, true],
    [`Bearer ${token}x`, false],
    [`Basic ${token}`, false],
    [token, false],
    ['Bearer ', false],
    [null, false],
  ])('%s → %s', (header, allowed) => {
    expect(metricsAuthorized(header, token)).toBe(allowed);
  });
});
