import 'server-only';
export const ROLES = ['viewer', 'rotator'] as const;
export type Role = (typeof ROLES)[number];

/** What each role may do; the server checks these on every page and action, the UI only mirrors them. */
const GRANTS = {
  viewer: ['connections:read', 'keys:read', 'audit:read'],
  rotator: [
    'connections:read',
    'keys:read',
    'audit:read',
    'keys:rotate',
    'keys:provision',
    'idp:configure',
    'policy:write',
    'alerts:read',
  ],
} as const satisfies Record<Role, readonly string[]>;

export type Permission = (typeof GRANTS)['rotator'][number];
/** Every permission (a rotator holds them all), and those a viewer holds too: the rest are writes. */
export const PERMISSIONS: readonly Permission[] = GRANTS.rotator;
export const VIEWER_PERMISSIONS: readonly Permission[] = GRANTS.viewer;

export function can(role: Role | null | undefined, permission: Permission): boolean {
  return role ? (GRANTS[role] as readonly string[]).includes(permission) : false;
}

export interface RoleSources {
  /** The value of the roles claim in the ID token, whatever its shape. */
  claim: unknown;
  email: string | null | undefined;
  /** Allow-lists match only an address the issuer says it verified; anyone can type an unverified one. */
  emailVerified: boolean;
}

function claimRoles(claim: unknown): string[] {
  if (typeof claim === 'string') return claim.split(/[\s,]+/);
  if (Array.isArray(claim)) return claim.filter((value): value is string => typeof value === 'string');
  return [];
}

/**
 * A user's roles per tenant: `all` in every tenant, `bySlug` in one. A claim value `rotator` or `viewer` applies
 * everywhere, `rotator:{slug}` or `viewer:{slug}` to that tenant; the allow-lists likewise (`alice@…` everywhere,
 * `dave@…:dev` in one). Decided at sign-in, kept in the session.
 */
export type TenantRoles = { all: Role | null; bySlug: Readonly<Record<string, Role>> };

export interface TenantAllowLists {
  rotator: { all: readonly string[]; bySlug: Readonly<Record<string, readonly string[]>> };
  viewer: { all: readonly string[]; bySlug: Readonly<Record<string, readonly string[]>> };
}

const RANK: Record<Role, number> = { viewer: 1, rotator: 2 };
const stronger = (a: Role | null | undefined, b: Role | null | undefined): Role | null =>
  (a && b ? (RANK[a] >= RANK[b] ? a : b) : (a ?? b)) ?? null;
const ROLE_IN_CLAIM = /^(rotator|viewer)(?::([a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?))?$/;

export function resolveTenantRoles(sources: RoleSources, allowLists: TenantAllowLists): TenantRoles {
  let all: Role | null = null;
  const bySlug: Record<string, Role> = {};
  const grant = (role: Role, slug: string | undefined) => {
    if (slug === undefined) all = stronger(all, role);
    else bySlug[slug] = stronger(bySlug[slug], role) as Role;
  };
  for (const value of claimRoles(sources.claim)) {
    const match = ROLE_IN_CLAIM.exec(value.trim().toLowerCase());
    if (match) grant(match[1] as Role, match[2]);
  }
  const email = sources.emailVerified ? (sources.email?.trim().toLowerCase() ?? '') : '';
  if (email) {
    for (const role of ROLES) {
      const lists = allowLists[role];
      if (lists.all.includes(email)) grant(role, undefined);
      for (const [slug, emails] of Object.entries(lists.bySlug)) if (emails.includes(email)) grant(role, slug);
    }
  }
  // A tenant role no stronger than the global one says nothing more.
  for (const [slug, role] of Object.entries(bySlug)) if (stronger(all, role) === all) delete bySlug[slug];
  return { all, bySlug };
}

/** The user's role in one tenant: the stronger of their role everywhere and their role there. */
export function roleIn(roles: TenantRoles, slug: string): Role | null {
  return stronger(roles.all, Object.hasOwn(roles.bySlug, slug) ? roles.bySlug[slug] : null);
}

/**
 * Whether the user has a role in any of the tenants served: a role in a tenant this Keyshift does not serve (a claim
 * `rotator:dev` on a deployment without `dev`) opens nothing, so it must not count as access anywhere.
 */
export function hasRoleInAny(roles: TenantRoles, slugs: readonly string[]): boolean {
  return slugs.some((slug) => roleIn(roles, slug) !== null);
}

/** Of `tenants`, those in which the roles grant `permission` (the fleet's "all my tenants" never shows another). */
export function tenantsWhere<T extends { slug: string }>(
  roles: TenantRoles,
  tenants: readonly T[],
  permission: Permission,
): T[] {
  return tenants.filter((tenant) => can(roleIn(roles, tenant.slug), permission));
}
