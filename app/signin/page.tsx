import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth-card';
import { SignInButton } from '@/components/sign-in-button';
import { currentUser } from '@/lib/auth/session';
import { config } from '@/lib/config';
import { safeReturnPath } from '@/lib/safe-redirect';

export const metadata: Metadata = { title: 'Sign in' };

const ERRORS: Record<string, string> = {
  OAuthCallback: 'Signing in did not complete. Try again.',
  OAuthSignin: 'Keyshift could not reach the sign-in service. Try again in a moment.',
  AccessDenied: 'The sign-in service refused access.',
  SessionRequired: 'Sign in to continue.',
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeReturnPath(params.callbackUrl, config().nextAuth.url);
  if (await currentUser()) redirect(callbackUrl);
  const error = typeof params.error === 'string' ? (ERRORS[params.error] ?? 'Signing in failed. Try again.') : null;
  return (
    <AuthCard title="Sign in">
      <p>Keyshift rotates the signing keys of your Auth0 connections. Sign in with your organisation’s account.</p>
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-red-800">
          {error}
        </p>
      ) : null}
      <SignInButton callbackUrl={callbackUrl} />
    </AuthCard>
  );
}
