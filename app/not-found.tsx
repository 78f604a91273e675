import Link from 'next/link';
import { AuthCard } from '@/components/auth-card';

export default function NotFound() {
  return (
    <AuthCard title="Not found">
      <p>There is no such page or connection in this tenant. It may have been deleted, or the link is mistyped.</p>
      <Link href="/" className="font-medium text-indigo-700 hover:underline">
        Back to the connections
      </Link>
    </AuthCard>
  );
}
