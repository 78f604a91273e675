import { describe, expect, test } from 'vitest';
import { type DevFirstTenant, devFirstNotices } from './dev-first';

const NOW = new Date('2026-12-03T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
const dev: DevFirstTenant = { slug: 'dev', name: 'Acme development', environment: 'development' };
const staging: DevFirstTenant = { slug: 'staging', name: 'Acme staging', environment: 'staging' };
const prodEu: DevFirstTenant = { slug: 'prod-eu', name: 'Acme EU', environment: 'production' };

function deps(connections: Record<string, string>, rotations: Record<string, Date | null>, days = 30) {
  const asked: string[] = [];
  return {
    asked,
    deps: {
      tenants: [dev, staging, prodEu],
      days,
      now: () => NOW,
      findConnection: async (tenant: DevFirstTenant, name: string) => {
        asked.push(tenant.slug);
        if (tenant.slug === 'staging' && name === 'broken') throw new Error('Auth0 down');
        return connections[`${tenant.slug}/${name}`] ?? null;
      },
      lastRotation: async (tenant: DevFirstTenant, id: string) => rotations[`${tenant.slug}/${id}`] ?? null,
    },
  };
}

describe('devFirstNotices', () => {
  test.each([
    ['never rotated in development', { 'dev/okta-acme': 'con_dev' }, {}, [['dev', null]]],
    [
      'rotated 31 days ago, with a period of 30',
      { 'dev/okta-acme': 'con_dev' },
      { 'dev/con_dev': daysAgo(31) },
      [['dev', daysAgo(31).toISOString()]],
    ],
    ['rotated 29 days ago: nothing to say', { 'dev/okta-acme': 'con_dev' }, { 'dev/con_dev': daysAgo(29) }, []],
    ['rotated exactly 30 days ago: still within', { 'dev/okta-acme': 'con_dev' }, { 'dev/con_dev': daysAgo(30) }, []],
    ['no connection of that name anywhere else', {}, {}, []],
    [
      'in development and staging, each judged on its own',
      { 'dev/okta-acme': 'con_dev', 'staging/okta-acme': 'con_stg' },
      { 'dev/con_dev': daysAgo(2), 'staging/con_stg': daysAgo(90) },
      [['staging', daysAgo(90).toISOString()]],
    ],
  ] as const)('%s', async (_label, connections, rotations, expected) => {
    const { deps: d } = deps(connections, rotations);
    const notices = await devFirstNotices(d, 'okta-acme');
    expect(notices.map((notice) => [notice.tenant.slug, notice.lastRotatedAt])).toEqual(expected);
    for (const notice of notices) expect(notice.days).toBe(30);
  });

  test('another production tenant is never named, nor even looked in', async () => {
    const { deps: d, asked } = deps({ 'prod-eu/okta-acme': 'con_eu' }, {});
    expect(await devFirstNotices(d, 'okta-acme')).toEqual([]);
    expect(asked).not.toContain('prod-eu');
  });

  test('a tenant that cannot be read says nothing, and the others still do', async () => {
    const { deps: d } = deps({ 'dev/broken': 'con_dev' }, {});
    expect((await devFirstNotices(d, 'broken')).map((notice) => notice.tenant.slug)).toEqual(['dev']);
  });

  test('the period is the configured one', async () => {
    const { deps: d } = deps({ 'dev/okta-acme': 'con_dev' }, { 'dev/con_dev': daysAgo(10) }, 7);
    expect(await devFirstNotices(d, 'okta-acme')).toMatchObject([{ days: 7, connectionId: 'con_dev' }]);
  });
});
