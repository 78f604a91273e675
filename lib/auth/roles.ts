import 'server-only';
export const ROLES = ['viewer', 'rotator'] as const;
export type Role = (typeof ROLES)[number];

/** What each role may do; the server checks these on every page and action, the UI only mirrors them. */
const GRANTS = {
  viewer: ['connections:read', 'keys:read', 'audit:read'],
  rotator: ['connections:read', 'keys:read', 'audit:read', 'keys:rotate', 'keys:provision', 'idp:configure'],
} as const satisfies Record<Role, readonly string[]>;

export type Permission = (typeof GRANTS)['rotator'][number];

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

export interface RoleAllowLists {
  rotatorEmails: readonly string[];
  viewerEmails: readonly string[];
}

function claimRoles(claim: unknown): string[] {
  if (typeof claim === 'string') return claim.split(/[\s,]+/);
  if (Array.isArray(claim)) return claim.filter((value): value is string => typeof value === 'string');
  return [];
}

/** The strongest role granted by the ID-token claim or by the email allow-lists; null means no access. */
export function resolveRole(sources: RoleSources, allowLists: RoleAllowLists): Role | null {
  const fromClaim = claimRoles(sources.claim).map((role) => role.trim().toLowerCase());
  const email = sources.emailVerified ? (sources.email?.trim().toLowerCase() ?? '') : '';
  const listed = (list: readonly string[]) => email !== '' && list.includes(email);
  if (fromClaim.includes('rotator') || listed(allowLists.rotatorEmails)) return 'rotator';
  if (fromClaim.includes('viewer') || listed(allowLists.viewerEmails)) return 'viewer';
  return null;
}

// TEMPORARY on branch t15: replaced by branch cfg15's per-tenant roles at merge.
export type TenantRoles = { all: Role | null; bySlug: Readonly<Record<string, Role>> };
export interface TenantAllowLists {
  rotator: { all: string[]; bySlug: Record<string, string[]> };
  viewer: { all: string[]; bySlug: Record<string, string[]> };
}
export function resolveTenantRoles(sources: RoleSources, allowLists: TenantAllowLists): TenantRoles {
  return {
    all: resolveRole(sources, { rotatorEmails: allowLists.rotator.all, viewerEmails: allowLists.viewer.all }),
    bySlug: {},
  };
}
export function roleIn(roles: TenantRoles, slug: string): Role | null {
  const one = roles.bySlug[slug] ?? null;
  if (roles.all === 'rotator' || one === 'rotator') return 'rotator';
  return roles.all ?? one;
}
