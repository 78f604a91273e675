import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { connection } from 'next/server';
import { getToken } from 'next-auth/jwt';
import { config } from '@/lib/config';
import { safeReturnPath } from '@/lib/safe-redirect';
import { authOptions, sessionIsCurrent, userFromToken } from './options';
import { can, hasRoleInAny, type Permission, type Role, roleIn } from './roles';
import type { CurrentUser } from './session-types';

export type { CurrentUser };

/**
 * The signed-in operator, from next-auth's encrypted session cookie (whole or in chunks): exactly what next-auth's
 * session callback would make of it, without running its whole request handler on every page and action (that also
 * re-encrypts a refreshed cookie which a server component cannot set anyway). Only the cookie counts: the
 * `Authorization: Bearer` form getToken also accepts is not offered to it. A token past 8 hours since sign-in is no
 * session here either, as the jwt callback refuses it there.
 */
export async function currentUser(): Promise<CurrentUser | null> {
  // Per-request by nature: never prerendered at build time, when no configuration need exist.
  await connection();
  const token = await getToken({
    req: { cookies: await cookies(), headers: {} } as unknown as Parameters<typeof getToken>[0]['req'],
    secret: authOptions().secret,
    secureCookie: config().nextAuth.url.startsWith('https://'),
  });
  if (!token || !sessionIsCurrent(token)) return null;
  const { sub, email, name, roles } = userFromToken(token);
  return sub ? { sub, email, name, roles } : null;
}

/** The sign-in page, coming back to `returnTo` afterwards if that is a path of Keyshift's (else home). */
export function signInPath(returnTo: string | undefined): string {
  return `/signin?callbackUrl=${encodeURIComponent(safeReturnPath(returnTo, config().nextAuth.url))}`;
}

/**
 * For pages of a tenant: no session → sign-in (coming back here afterwards); no permission there → the no-access
 * page. Returns the user and their role in that tenant.
 */
export async function requirePermission(
  permission: Permission,
  returnTo: string,
  tenant: string,
): Promise<CurrentUser & { role: Role }> {
  const user = await currentUser();
  if (!user) redirect(signInPath(returnTo));
  const role = roleIn(user.roles, tenant);
  if (!role || !can(role, permission)) redirect(`/no-access?tenant=${encodeURIComponent(tenant)}`);
  return { ...user, role };
}

/** Whether the user has a role in any tenant served here (else only the no-access page is theirs). */
export function hasAnyRole(user: CurrentUser): boolean {
  return hasRoleInAny(
    user.roles,
    config().tenants.map((tenant) => tenant.slug),
  );
}

export function displayName(user: Pick<CurrentUser, 'name' | 'email' | 'sub'>): string {
  return user.name ?? user.email ?? user.sub;
}
