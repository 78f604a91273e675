import { describe, expect, it } from 'vitest';
import { openAuditStore, TENANT_POLICY } from '@/lib/audit';
import { type PolicyDependencies, setRotationPeriod } from './settings';

const request = {
  user: { sub: 'auth0|alice', email: 'alice@example.com', name: 'Alice' },
  requestId: 'req-1',
  ip: '203.0.113.7',
  userAgent: 'test',
};

describe('setRotationPeriod', () => {
  it('stores each change with its event, records from and to, and a repeat changes nothing', async () => {
    const store = await openAuditStore({ memory: true });
    const deps: PolicyDependencies = {
      store: async () => store,
      tenant: 'acme.test',
      connectionName: async (id) => `name-of-${id}`,
    };
    expect(await setRotationPeriod(deps, { connectionId: null, periodDays: 180 }, request)).toEqual({ changed: true });
    expect(await setRotationPeriod(deps, { connectionId: 'con_a', periodDays: 90 }, request)).toEqual({
      changed: true,
    });
    expect(await setRotationPeriod(deps, { connectionId: 'con_a', periodDays: 90 }, request)).toEqual({
      changed: false,
    });
    expect(await setRotationPeriod(deps, { connectionId: 'con_a', periodDays: null }, request)).toEqual({
      changed: true,
    });
    const rows = await store.rotationPolicies('acme.test');
    expect(rows.map((r) => [r.connectionId, r.periodDays]).sort()).toEqual([
      [TENANT_POLICY, 180],
      ['con_a', null],
    ]);
    const { events } = await store.list({ filters: { types: ['policy.period_changed'] } });
    expect(events.map((e) => [e.connectionId, e.connectionName, e.details, e.message])).toEqual([
      [
        'con_a',
        'name-of-con_a',
        { scope: 'connection', from: 90, to: null },
        'This connection now follows the tenant’s period (was 90 days).',
      ],
      [
        'con_a',
        'name-of-con_a',
        { scope: 'connection', from: null, to: 90 },
        'This connection is now rotated every 90 days (was none of its own).',
      ],
      [
        null,
        null,
        { scope: 'tenant', from: null, to: 180 },
        'The tenant is now rotated every 180 days (was none of its own).',
      ],
    ]);
    expect(events[0]).toMatchObject({ actorSub: 'auth0|alice', tenant: 'acme.test', clientIp: '203.0.113.7' });
    await store.close();
  });

  it('records nothing for a connection Auth0 does not have', async () => {
    const store = await openAuditStore({ memory: true });
    const deps: PolicyDependencies = {
      store: async () => store,
      tenant: 'acme.test',
      connectionName: async () => {
        throw new Error('Auth0 has no such connection.');
      },
    };
    await expect(setRotationPeriod(deps, { connectionId: 'con_x', periodDays: 30 }, request)).rejects.toThrow(
      'no such',
    );
    expect(await store.rotationPolicies('acme.test')).toEqual([]);
    expect((await store.list()).events).toEqual([]);
    await store.close();
  });
});
