import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth-card';
import { SignOutButton } from '@/components/sign-out-button';
import { currentUser, displayName } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'No access' };

export default async function NoAccessPage() {
  const user = await currentUser();
  if (!user) redirect('/signin');
  if (user.role) redirect('/');
  return (
    <AuthCard title="No access">
      <p>
        You are signed in as <strong className="text-slate-900">{displayName(user)}</strong>, but your account has no
        Keyshift role.
      </p>
      <p>Ask an administrator to give you the viewer or rotator role, then sign in again.</p>
      <SignOutButton />
    </AuthCard>
  );
}
