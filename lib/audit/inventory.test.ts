import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type InventoryRow, TENANT_POLICY } from './index';
import { auditBackends, type Scratch } from './test-backends';

const backends = await auditBackends('lib/audit/inventory.test.ts');

function row(
  tenant: string,
  connectionId: string,
  checkedAt: Date,
  overrides: Partial<InventoryRow> = {},
): InventoryRow {
  return {
    tenant,
    connectionId,
    connectionName: `name-${connectionId}`,
    strategy: 'okta',
    keysState: 'provisioned',
    keys: [
      {
        kid: `kid-${connectionId}`,
        algorithm: 'RS256',
        current: true,
        next: false,
        previous: false,
        currentSince: '2026-01-01T00:00:00.000Z',
        notBefore: '2026-01-01T00:00:00.000Z',
        notAfter: '2027-01-01T00:00:00.000Z',
      },
    ],
    currentKid: `kid-${connectionId}`,
    currentAlgorithm: 'RS256',
    currentSince: new Date('2026-01-01T00:00:00Z'),
    currentNotAfter: new Date('2027-01-01T00:00:00Z'),
    nextKid: null,
    nextNotAfter: null,
    checkedAt,
    staleSince: null,
    error: null,
    ...overrides,
  };
}

describe.each(backends)('the key inventory and rotation policies on %s', (_, backend) => {
  const it = backend.available ? test : test.skip;
  let scratch: Scratch;
  beforeAll(async () => {
    if (backend.available) scratch = await backend.fresh();
  });
  afterAll(async () => scratch?.close());

  it('keeps one row per tenant and connection, replaced by a later read, keys and dates intact', async () => {
    const tenant = `t-${randomUUID()}.local`;
    const other = `o-${randomUUID()}.local`;
    await scratch.store.saveInventory([
      row(tenant, 'con_a', new Date('2026-12-01T00:00:00Z')),
      row(other, 'con_a', new Date()),
    ]);
    await scratch.store.saveInventory([
      row(tenant, 'con_a', new Date('2026-12-02T00:00:00Z'), { currentKid: 'kid-new', currentAlgorithm: 'PS256' }),
    ]);
    const rows = await scratch.store.inventory(tenant);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ connectionId: 'con_a', currentKid: 'kid-new', currentAlgorithm: 'PS256' });
    expect(rows[0]?.checkedAt.toISOString()).toBe('2026-12-02T00:00:00.000Z');
    expect(rows[0]?.keys[0]?.notAfter).toBe('2027-01-01T00:00:00.000Z');
    expect(await scratch.store.inventory(other)).toHaveLength(1);
  });

  it('a change marked after a read began survives that read; one marked before is cleared by it', async () => {
    const tenant = `t-${randomUUID()}.local`;
    await scratch.store.saveInventory([
      row(tenant, 'con_a', new Date('2026-12-01T00:00:00Z')),
      row(tenant, 'con_b', new Date('2026-12-01T00:00:00Z')),
    ]);
    expect(
      await scratch.store.markInventoryStale(
        tenant,
        ['con_a', 'con_b', 'con_absent'],
        new Date('2026-12-02T10:00:00Z'),
      ),
    ).toBe(2);
    // Marking again later keeps the earliest change.
    await scratch.store.markInventoryStale(tenant, ['con_a'], new Date('2026-12-02T11:00:00Z'));
    expect(
      (await scratch.store.staleInventory(tenant, 10)).map((r) => [r.connectionId, r.staleSince?.toISOString()]),
    ).toEqual([
      ['con_a', '2026-12-02T10:00:00.000Z'],
      ['con_b', '2026-12-02T10:00:00.000Z'],
    ]);
    await scratch.store.saveInventory([
      row(tenant, 'con_a', new Date('2026-12-02T09:00:00Z')), // began before the change: still stale
      row(tenant, 'con_b', new Date('2026-12-02T10:30:00Z')), // began after: fresh
    ]);
    expect((await scratch.store.staleInventory(tenant, 10)).map((r) => r.connectionId)).toEqual(['con_a']);
  });

  it('prunes the connections a complete listing no longer has, in that tenant only', async () => {
    const tenant = `t-${randomUUID()}.local`;
    const other = `o-${randomUUID()}.local`;
    const now = new Date();
    await scratch.store.saveInventory([row(tenant, 'con_a', now), row(tenant, 'con_b', now), row(other, 'con_b', now)]);
    expect(await scratch.store.pruneInventory(tenant, ['con_a'])).toBe(1);
    expect((await scratch.store.inventory(tenant)).map((r) => r.connectionId)).toEqual(['con_a']);
    expect(await scratch.store.inventory(other)).toHaveLength(1);
    expect(await scratch.store.pruneInventory(tenant, [])).toBe(1);
  });

  it('stores a rotation period only with its audit event; null removes an override without deleting', async () => {
    const tenant = `t-${randomUUID()}.local`;
    const event = (connectionId: string | null) => ({
      type: 'policy.period_changed' as const,
      actorSub: 'auth0|alice',
      tenant,
      connectionId,
    });
    await scratch.store.saveRotationPolicy(event(null), {
      tenant,
      connectionId: TENANT_POLICY,
      periodDays: 180,
      updatedBySub: 'auth0|alice',
    });
    await scratch.store.saveRotationPolicy(event('con_a'), {
      tenant,
      connectionId: 'con_a',
      periodDays: 90,
      updatedBySub: 'auth0|alice',
    });
    await scratch.store.saveRotationPolicy(event('con_a'), {
      tenant,
      connectionId: 'con_a',
      periodDays: null,
      updatedBySub: 'auth0|bob',
    });
    const rows = await scratch.store.rotationPolicies(tenant);
    expect(rows.map((r) => [r.connectionId, r.periodDays, r.updatedBySub]).sort()).toEqual([
      ['', 180, 'auth0|alice'],
      ['con_a', null, 'auth0|bob'],
    ]);
    const events = await scratch.store.list({ filters: { types: ['policy.period_changed'], tenant } });
    expect(events.events).toHaveLength(3);
    await expect(
      scratch.store.saveRotationPolicy(event('con_b'), {
        tenant,
        connectionId: 'con_b',
        periodDays: 0,
        updatedBySub: 'x',
      }),
    ).rejects.toThrow();
    expect(await scratch.store.rotationPolicies(tenant)).toHaveLength(2);
    expect((await scratch.store.list({ filters: { types: ['policy.period_changed'], tenant } })).events).toHaveLength(
      3,
    );
  });
});
