import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth-card';
import { SignOutButton } from '@/components/sign-out-button';
import { roleIn } from '@/lib/auth/roles';
import { currentUser, displayName, hasAnyRole } from '@/lib/auth/session';
import { tenantBySlug } from '@/lib/config';

export const metadata: Metadata = { title: 'No access' };

export default async function NoAccessPage({
  searchParams,
}: {
  searchParams: Promise<{ tenant?: string | string[] }>;
}) {
  const user = await currentUser();
  if (!user) redirect('/signin');
  const slug = (await searchParams).tenant;
  const tenant = typeof slug === 'string' ? tenantBySlug(slug) : undefined;
  if (tenant ? roleIn(user.roles, tenant.slug) !== null : hasAnyRole(user)) redirect(tenant ? `/${tenant.slug}` : '/');
  return (
    <AuthCard title="No access">
      <p>
        You are signed in as <strong className="text-slate-900">{displayName(user)}</strong>, but your account has no
        Keyshift role{tenant ? ` in ${tenant.name}` : ''}.
      </p>
      {tenant && hasAnyRole(user) ? (
        <p>
          <Link prefetch={false} href="/" className="font-medium text-indigo-700 hover:underline">
            Open a tenant you have a role in
          </Link>
        </p>
      ) : (
        <p>Ask an administrator to give you the viewer or rotator role, then sign in again.</p>
      )}
      <SignOutButton />
    </AuthCard>
  );
}
