import { describe, expect, it, test } from 'vitest';
import { can, hasRoleInAny, type Permission, type Role, resolveTenantRoles, roleIn, tenantsWhere } from './roles';

const lists = {
  rotator: { all: ['ops@acme.com'], bySlug: { dev: ['dave@acme.com'] } },
  viewer: { all: ['audit@acme.com'], bySlug: { prod: ['dave@acme.com'], dev: ['erin@acme.com'] } },
};
const SLUGS = ['dev', 'prod'];

/** The role in each of dev and prod, for a claim and a verified email. */
function table(claim: unknown, email: string | null, emailVerified = true) {
  const roles = resolveTenantRoles({ claim, email, emailVerified }, lists);
  return SLUGS.map((slug) => roleIn(roles, slug));
}

describe('roles per tenant', () => {
  test.each([
    [['rotator'], 'alice@example.com', ['rotator', 'rotator']],
    [['viewer'], 'bob@example.com', ['viewer', 'viewer']],
    [['viewer', 'rotator'], 'x@example.com', ['rotator', 'rotator']],
    ['Rotator', 'x@example.com', ['rotator', 'rotator']],
    ['viewer other', 'x@example.com', ['viewer', 'viewer']],
    [['rotator:dev', 'viewer:prod'], 'x@example.com', ['rotator', 'viewer']],
    ['rotator:dev viewer:prod', 'x@example.com', ['rotator', 'viewer']],
    ['rotator:dev,viewer', 'x@example.com', ['rotator', 'viewer']],
    [['viewer', 'rotator:prod'], 'x@example.com', ['viewer', 'rotator']],
    [['rotator', 'viewer:dev'], 'x@example.com', ['rotator', 'rotator']],
    [['ROTATOR:DEV'], 'x@example.com', ['rotator', null]],
    [['rotator:'], 'x@example.com', [null, null]],
    [['rotator:dev:extra'], 'x@example.com', [null, null]],
    [['rotator:qa'], 'x@example.com', [null, null]],
    [['admin', 'admin:dev'], 'x@example.com', [null, null]],
    [[], 'carol@example.com', [null, null]],
    [undefined, 'carol@example.com', [null, null]],
    [{ rotator: true }, 'x@example.com', [null, null]],
    [[42, null], 'x@example.com', [null, null]],
    [undefined, 'OPS@acme.com', ['rotator', 'rotator']],
    [['viewer'], 'ops@acme.com', ['rotator', 'rotator']],
    [undefined, 'audit@acme.com', ['viewer', 'viewer']],
    [undefined, 'dave@acme.com', ['rotator', 'viewer']],
    [undefined, 'erin@acme.com', ['viewer', null]],
    [undefined, '', [null, null]],
    [undefined, null, [null, null]],
  ] as const)('claim %j with email %s → dev %j', (claim, email, expected) => {
    expect(table(claim, email)).toEqual(expected);
  });

  test('an unverified email never matches an allow-list', () => {
    expect(table(undefined, 'dave@acme.com', false)).toEqual([null, null]);
    expect(table(['viewer:dev'], 'ops@acme.com', false)).toEqual(['viewer', null]);
  });

  test('a slug that is a property of every object grants nothing', () => {
    const roles = resolveTenantRoles({ claim: ['viewer:dev'], email: null, emailVerified: false }, lists);
    expect(roleIn(roles, 'constructor')).toBeNull();
    expect(roleIn(roles, '__proto__')).toBeNull();
  });
});

describe('hasRoleInAny', () => {
  // Only the tenants served count: dave's roles name dev and prod, which a single-tenant deployment does not serve
  // (its /no-access page once sent him back to /, which sent him to /no-access, without end).
  test.each([
    [['rotator:dev', 'viewer:prod'], ['demo-tenant'], false],
    [['rotator:dev', 'viewer:prod'], ['dev', 'prod'], true],
    [['viewer:prod'], ['dev', 'qa'], false],
    [['viewer:prod'], ['dev', 'prod'], true],
    [['viewer'], ['demo-tenant'], true],
    [['rotator'], [], false],
    [[], ['dev', 'prod'], false],
    [['viewer:dev'], ['constructor', '__proto__'], false],
  ] as const)('claim %j over tenants %j → %s', (claim, slugs, expected) => {
    const roles = resolveTenantRoles({ claim, email: null, emailVerified: false }, lists);
    expect(hasRoleInAny(roles, slugs)).toBe(expected);
  });
});

describe('can', () => {
  test.each([
    ['viewer', 'connections:read', true],
    ['viewer', 'keys:read', true],
    ['viewer', 'audit:read', true],
    ['viewer', 'keys:rotate', false],
    ['viewer', 'keys:provision', false],
    ['rotator', 'keys:rotate', true],
    ['rotator', 'keys:provision', true],
    [null, 'connections:read', false],
    [undefined, 'keys:read', false],
  ] as const)('%s may %s: %s', (role, permission, expected) => {
    expect(can(role as Role | null | undefined, permission as Permission)).toBe(expected);
  });
});

describe('tenantsWhere', () => {
  const tenants = [{ slug: 'dev' }, { slug: 'prod' }, { slug: 'eu' }];
  it.each([
    [{ all: 'viewer', bySlug: {} }, 'keys:read', ['dev', 'prod', 'eu']],
    [{ all: null, bySlug: { dev: 'rotator', prod: 'viewer' } }, 'keys:read', ['dev', 'prod']],
    [{ all: null, bySlug: { dev: 'rotator', prod: 'viewer' } }, 'policy:write', ['dev']],
    [{ all: 'viewer', bySlug: { eu: 'rotator' } }, 'policy:write', ['eu']],
    [{ all: null, bySlug: {} }, 'keys:read', []],
  ] as const)('%j may %s in %j', (roles, permission, expected) => {
    expect(tenantsWhere(roles, tenants, permission).map((tenant) => tenant.slug)).toEqual(expected);
  });
});
