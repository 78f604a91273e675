import { AppHeader } from '@/components/app-header';
import { ConnectionList } from '@/components/connection-list';
import { listConnections } from '@/lib/auth0/connections';
import { Auth0Error } from '@/lib/auth0/errors';
import { config } from '@/lib/config';

export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const result = await listConnections().then(
    (connections) => ({ ok: true as const, connections }),
    (error: unknown) => ({
      ok: false as const,
      message: error instanceof Auth0Error ? error.message : 'Keyshift could not list the connections.',
    }),
  );
  return (
    <>
      <AppHeader tenant={config().auth0.domain} />
      <main className="mx-auto max-w-6xl px-4 py-8">
        {result.ok ? (
          <ConnectionList connections={result.connections} />
        ) : (
          <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800">
            {result.message}
          </div>
        )}
      </main>
    </>
  );
}
