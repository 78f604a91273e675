import type { Metadata } from 'next';
import { ConnectionList } from '@/components/connection-list';
import { requirePermission } from '@/lib/auth/session';
import { Auth0Error } from '@/lib/auth0/errors';
import { listConnectionOverview } from '@/lib/auth0/overview';

export const metadata: Metadata = { title: 'Connections' };

export default async function ConnectionsPage() {
  await requirePermission('connections:read', '/');
  const initial = await listConnectionOverview().then(
    (connections) => ({ connections, error: null }),
    (error: unknown) => ({
      connections: undefined,
      error: error instanceof Auth0Error ? error.message : 'Keyshift could not list the connections.',
    }),
  );
  return <ConnectionList initialConnections={initial.connections} initialError={initial.error} />;
}
