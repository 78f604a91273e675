import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Counter, Gauge, Registry } from 'prom-client';
import type { RotationCount } from '@/lib/audit';
import type { TenantConfig } from '@/lib/tenants/config';
import type { FleetRow } from './fleet';
import { DUE_STATES } from './policy';

/**
 * `/metrics` in Prometheus' text format: one gauge family per fact of each connection's current key, labelled by
 * tenant (slug), connection_id and connection (name), and the rotations by outcome from the audit trail. A fresh
 * registry per scrape: the figures come from the database, so every instance answers the same, and nothing is
 * registered twice across reloads.
 */

const LABELS = ['tenant', 'connection_id', 'connection'] as const;

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Whether the request's `Authorization: Bearer …` is the configured token, compared in constant time. */
export function metricsAuthorized(header: string | null, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), digest(token));
}

export async function renderMetrics(
  fleet: ReadonlyArray<{ tenant: TenantConfig; rows: readonly FleetRow[] }>,
  rotations: readonly RotationCount[],
  now: number,
): Promise<{ contentType: string; body: string }> {
  const registry = new Registry();
  const gauge = (name: string, help: string, extra: readonly string[] = []) =>
    new Gauge({ name, help, labelNames: [...LABELS, ...extra], registers: [registry] });
  const age = gauge('keyshift_key_age_seconds', 'Seconds since the current key became current.');
  const due = gauge('keyshift_key_due_timestamp_seconds', 'When the current key is due for rotation (UNIX seconds).');
  const notAfter = gauge(
    'keyshift_certificate_not_after_timestamp_seconds',
    'When the current key’s certificate expires (UNIX seconds).',
  );
  const period = gauge('keyshift_rotation_period_days', 'The rotation period that applies to the connection.');
  const state = gauge('keyshift_key_due_state', 'The connection’s due state: 1 for the state it is in.', ['state']);
  const ready = gauge(
    'keyshift_connection_ready',
    'Whether the connection’s IdP trusts the next key: 1 ready, 0 not ready, -1 unknown.',
  );
  const checked = gauge(
    'keyshift_inventory_checked_timestamp_seconds',
    'When Keyshift last read the connection’s keys from Auth0 (UNIX seconds).',
  );
  const total = new Counter({
    name: 'keyshift_rotations_total',
    help: 'Rotations recorded in the audit trail, by outcome (external: made outside Keyshift).',
    labelNames: [...LABELS, 'outcome'],
    registers: [registry],
  });
  const slugByDomain = new Map<string, string>();
  for (const { tenant, rows } of fleet) {
    slugByDomain.set(tenant.domain, tenant.slug);
    for (const row of rows) {
      const labels = { tenant: tenant.slug, connection_id: row.connectionId, connection: row.name };
      if (row.currentSince !== null) age.set(labels, Math.max(0, (now - row.currentSince) / 1000));
      if (row.dueAt !== null) due.set(labels, Math.floor(row.dueAt / 1000));
      if (row.certNotAfter !== null) notAfter.set(labels, Math.floor(row.certNotAfter / 1000));
      period.set(labels, row.periodDays);
      for (const value of DUE_STATES) state.set({ ...labels, state: value }, row.state === value ? 1 : 0);
      ready.set(labels, row.readiness === 'ready' ? 1 : row.readiness === 'not_ready' ? 0 : -1);
      checked.set(labels, Math.floor(row.checkedAt / 1000));
    }
  }
  for (const count of rotations) {
    const slug = slugByDomain.get(count.tenant);
    if (!slug) continue; // a tenant no longer served
    total.inc(
      {
        tenant: slug,
        connection_id: count.connectionId,
        connection: count.connectionName ?? '',
        outcome: count.outcome,
      },
      count.count,
    );
  }
  return { contentType: registry.contentType, body: await registry.metrics() };
}
