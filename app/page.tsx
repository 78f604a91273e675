import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth-card';
import { EnvironmentBadge } from '@/components/environment-badge';
import { SignOutButton } from '@/components/sign-out-button';
import { roleIn } from '@/lib/auth/roles';
import { currentUser, signInPath } from '@/lib/auth/session';
import { config } from '@/lib/config';

export const metadata: Metadata = { title: 'Tenants' };

/** `/`: the tenants this user may open; straight into the only one when there is one. */
export default async function TenantsPage() {
  const user = await currentUser();
  if (!user) redirect(signInPath('/'));
  const reachable = config()
    .tenants.map((tenant) => ({ tenant, role: roleIn(user.roles, tenant.slug) }))
    .filter((entry) => entry.role !== null);
  if (reachable.length === 0) redirect('/no-access');
  if (reachable.length === 1 && reachable[0]) redirect(`/${reachable[0].tenant.slug}`);
  return (
    <AuthCard title="Choose a tenant">
      <ul className="space-y-2">
        {reachable.map(({ tenant, role }) => (
          <li key={tenant.slug}>
            <Link
              prefetch={false}
              href={`/${tenant.slug}`}
              className="flex items-center justify-between gap-3 rounded-md border border-slate-200 px-3 py-2 hover:bg-slate-50"
            >
              <span>
                <span className="block font-medium text-slate-900">{tenant.name}</span>
                <span className="block font-mono text-xs text-slate-500">{tenant.domain}</span>
              </span>
              <span className="flex flex-col items-end gap-1">
                <EnvironmentBadge environment={tenant.environment} />
                <span className="text-xs capitalize text-slate-600">{role}</span>
              </span>
            </Link>
          </li>
        ))}
      </ul>
      <SignOutButton />
    </AuthCard>
  );
}
