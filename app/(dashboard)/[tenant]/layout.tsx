import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { AppHeader } from '@/components/app-header';
import { DashboardNav } from '@/components/dashboard-nav';
import { ProductionBanner } from '@/components/environment-badge';
import { RoleBadge } from '@/components/role-badge';
import { SignOutButton } from '@/components/sign-out-button';
import { TenantProvider } from '@/components/tenant-context';
import { TenantSwitcher } from '@/components/tenant-switcher';
import { can, roleIn } from '@/lib/auth/roles';
import { currentUser, displayName, signInPath } from '@/lib/auth/session';
import { config } from '@/lib/config';
import { pageTenant, tenantView } from './tenant';

export default async function TenantLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ tenant: string }>;
}) {
  const tenant = await pageTenant(params);
  const user = await currentUser();
  // Each page checks its own permission too; this only keeps the chrome from rendering for nobody.
  if (!user) {
    // The proxy sets it for pages; a request it does not see (a server action) may carry anything.
    redirect(signInPath((await headers()).get('x-keyshift-path') ?? undefined));
  }
  const role = roleIn(user.roles, tenant.slug);
  if (!role) redirect(`/no-access?tenant=${encodeURIComponent(tenant.slug)}`);
  const reachable = config()
    .tenants.filter((other) => roleIn(user.roles, other.slug) !== null)
    .map(tenantView);
  const view = tenantView(tenant);
  return (
    // Keyed by tenant: nothing a page of one tenant holds in the browser (queries, dialogs) outlives a switch.
    <TenantProvider key={tenant.slug} tenant={view}>
      <AppHeader
        notice={<ProductionBanner tenant={view} />}
        switcher={<TenantSwitcher tenants={reachable} />}
        nav={<DashboardNav alerts={can(role, 'alerts:read')} />}
      >
        <div className="hidden text-right text-sm leading-tight sm:block">
          <div className="font-medium text-slate-900">{displayName(user)}</div>
          {user.email && user.name ? <div className="text-xs text-slate-500">{user.email}</div> : null}
        </div>
        <RoleBadge role={role} />
        <SignOutButton />
      </AppHeader>
      <main className="mx-auto max-w-6xl px-4 py-8">{children}</main>
    </TenantProvider>
  );
}
