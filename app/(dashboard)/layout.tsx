import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { AppHeader } from '@/components/app-header';
import { DashboardNav } from '@/components/dashboard-nav';
import { RoleBadge } from '@/components/role-badge';
import { SignOutButton } from '@/components/sign-out-button';
import { currentUser, displayName, signInPath } from '@/lib/auth/session';
import { config } from '@/lib/config';

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  // Each page checks its own permission too; this only keeps the chrome from rendering for nobody.
  if (!user) {
    // The proxy sets it for pages; a request it does not see (a server action) may carry anything.
    redirect(signInPath((await headers()).get('x-keyshift-path') ?? undefined));
  }
  if (!user.role) redirect('/no-access');
  return (
    <>
      <AppHeader tenant={config().auth0.domain} nav={<DashboardNav />}>
        <div className="hidden text-right text-sm leading-tight sm:block">
          <div className="font-medium text-slate-900">{displayName(user)}</div>
          {user.email && user.name ? <div className="text-xs text-slate-500">{user.email}</div> : null}
        </div>
        <RoleBadge role={user.role} />
        <SignOutButton />
      </AppHeader>
      <main className="mx-auto max-w-6xl px-4 py-8">{children}</main>
    </>
  );
}
