import 'server-only';
import { redirect } from 'next/navigation';
import { connection } from 'next/server';
import { getServerSession } from 'next-auth';
import { authOptions } from './options';
import { can, type Permission } from './roles';
import type { CurrentUser } from './session-types';

export type { CurrentUser };

export async function currentUser(): Promise<CurrentUser | null> {
  // Per-request by nature: never prerendered at build time, when no configuration need exist.
  await connection();
  const session = await getServerSession(authOptions());
  if (!session?.user?.sub) return null;
  const { sub, email, name, role } = session.user;
  return { sub, email, name, role };
}

/** For pages: no session → sign-in (coming back here afterwards); no permission → the no-access page. */
export async function requirePermission(permission: Permission, returnTo: string): Promise<CurrentUser> {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  if (!can(user.role, permission)) redirect('/no-access');
  return user;
}

export function displayName(user: Pick<CurrentUser, 'name' | 'email' | 'sub'>): string {
  return user.name ?? user.email ?? user.sub;
}
