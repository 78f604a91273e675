import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ConnectionFacts } from '@/components/connection-facts';
import { ErrorPanel } from '@/components/error-panel';
import { HandoffLinksPanel } from '@/components/handoff-links-panel';
import { IdpPanel } from '@/components/idp-panel';
import { KeysPanel } from '@/components/keys-panel';
import { RecentRotations } from '@/components/recent-rotations';
import { auditPage } from '@/lib/audit/view/audit-page';
import { RECENT_ROTATIONS } from '@/lib/audit/view/query-keys';
import { can } from '@/lib/auth/roles';
import { requirePermission } from '@/lib/auth/session';
import { getConnection, listConnectionKeys } from '@/lib/auth0/connections';
import { Auth0Error } from '@/lib/auth0/errors';
import { connectionJwksUrl } from '@/lib/auth0/jwks';
import { liveIdpDependencies } from '@/lib/idp/live';
import { idpStatus } from '@/lib/idp/settings';
import { keyViews } from '@/lib/keys/key-view';
import { connectionIdSchema } from '@/lib/schemas';

export const metadata: Metadata = { title: 'Connection' };

function messageOf(error: unknown, fallback: string): string {
  return error instanceof Auth0Error ? error.message : fallback;
}

export default async function ConnectionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePermission('keys:read', `/connections/${id}`);
  if (!connectionIdSchema.safeParse(id).success) notFound();

  // Side by side, not one after the other: the page waits for the slowest read, not for their sum. The keys and the
  // recent rotations are thrown away for a connection that cannot hold keys (Auth0 refuses the keys read there).
  const connectionRead = getConnection(id);
  const keysRead = listConnectionKeys(id).then(
    async (keys) => ({ keys: await keyViews(keys), error: null }),
    (error: unknown) => ({ keys: undefined, error: messageOf(error, 'Keyshift could not load the keys.') }),
  );
  const recentRead = can(user.role, 'audit:read')
    ? auditPage({ connection: id }, { limit: RECENT_ROTATIONS }).catch(() => null)
    : null;

  // Without it the panel loads the setting itself.
  const idpRead = idpStatus(liveIdpDependencies(), id).catch(() => undefined);

  let connection: Awaited<ReturnType<typeof getConnection>>;
  try {
    connection = await connectionRead;
  } catch (error) {
    if (error instanceof Auth0Error && error.code === 'auth0:not_found') notFound();
    return (
      <ErrorPanel
        title="The connection could not be loaded"
        message={messageOf(error, 'Keyshift could not load this connection.')}
      />
    );
  }
  const initial = connection.keyCapable ? await keysRead : { keys: [], error: null };
  const canReadAudit = connection.keyCapable && recentRead !== null;
  const recent = canReadAudit ? await recentRead : null;

  return (
    <div className="space-y-8">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link prefetch={false} href="/" className="hover:underline">
          Connections
        </Link>{' '}
        / <span className="text-slate-900">{connection.name}</span>
      </nav>
      <ConnectionFacts connection={connection} />
      <section aria-labelledby="keys-title" className="space-y-3">
        <h2 id="keys-title" className="text-lg font-semibold tracking-tight">
          Signing keys
        </h2>
        <KeysPanel
          connection={connection}
          initialKeys={initial.keys}
          initialError={initial.error}
          canProvision={can(user.role, 'keys:provision')}
          canRotate={can(user.role, 'keys:rotate')}
          canHandOff={can(user.role, 'idp:configure')}
          jwksUrl={connectionJwksUrl(connection.name)}
        />
      </section>
      {connection.keyCapable ? (
        <section aria-labelledby="idp-title" className="space-y-3">
          <h2 id="idp-title" className="text-lg font-semibold tracking-tight">
            Identity provider
          </h2>
          <IdpPanel
            connectionId={connection.id}
            initialKeys={initial.keys}
            initialStatus={await idpRead}
            canConfigure={can(user.role, 'idp:configure')}
          />
          {can(user.role, 'idp:configure') ? <HandoffLinksPanel connectionId={connection.id} /> : null}
        </section>
      ) : null}
      {canReadAudit ? (
        <section aria-labelledby="recent-rotations-title" className="space-y-3">
          <h2 id="recent-rotations-title" className="text-lg font-semibold tracking-tight">
            Recent rotations
          </h2>
          <RecentRotations
            connectionId={connection.id}
            connectionName={connection.name}
            initial={recent}
            serverNow={Date.now()}
          />
        </section>
      ) : null}
    </div>
  );
}
