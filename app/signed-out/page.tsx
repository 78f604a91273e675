import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthCard } from '@/components/auth-card';

export const metadata: Metadata = { title: 'Signed out' };

export default function SignedOutPage() {
  return (
    <AuthCard title="You are signed out">
      <p>Your Keyshift session has ended.</p>
      <Link
        href="/signin"
        className="block w-full rounded-md bg-indigo-600 px-4 py-2 text-center text-sm font-medium text-white hover:bg-indigo-500"
      >
        Sign in again
      </Link>
    </AuthCard>
  );
}
