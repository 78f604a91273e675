import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { ConnectionFacts } from '@/components/connection-facts';
import { ErrorPanel } from '@/components/error-panel';
import { HandoffLinksPanel } from '@/components/handoff-links-panel';
import { IdpPanel } from '@/components/idp-panel';
import { KeysPanel } from '@/components/keys-panel';
import { RecentRotations } from '@/components/recent-rotations';
import { RotationPolicyPanel } from '@/components/rotation-policy-panel';
import { auditPage } from '@/lib/audit/view/audit-page';
import { RECENT_ROTATIONS } from '@/lib/audit/view/query-keys';
import { can, type Role, roleIn } from '@/lib/auth/roles';
import { currentUser, requirePermission } from '@/lib/auth/session';
import { connectionList } from '@/lib/auth0/connection-cache';
import { getConnection, listConnectionKeys } from '@/lib/auth0/connections';
import { Auth0Error } from '@/lib/auth0/errors';
import { connectionJwksUrl } from '@/lib/auth0/jwks';
import { tenantBySlug } from '@/lib/config';
import { connectionPolicy } from '@/lib/fleet/view';
import { liveIdpDependencies } from '@/lib/idp/live';
import { idpStatus } from '@/lib/idp/settings';
import { keyViews } from '@/lib/keys/key-view';
import { connectionIdSchema } from '@/lib/schemas';
import type { TenantConfig } from '@/lib/tenants/config';
import { inTenant } from '@/lib/tenants/scope';
import { pageTenant } from '../../tenant';

export const metadata: Metadata = { title: 'Connection' };

function messageOf(error: unknown, fallback: string): string {
  return error instanceof Auth0Error ? error.message : fallback;
}

export default async function ConnectionPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string; tenant: string }>;
  searchParams: Promise<{ from?: string | string[] }>;
}) {
  const tenant = await pageTenant(params);
  const { id } = await params;
  const user = await requirePermission('keys:read', `/${tenant.slug}/connections/${id}`, tenant.slug);
  if (!connectionIdSchema.safeParse(id).success) notFound();
  const { from } = await searchParams;
  return inTenant(tenant, () => connectionPage(tenant, id, user.role, typeof from === 'string' ? from : undefined));
}

async function connectionPage(tenant: TenantConfig, id: string, role: Role, from: string | undefined) {
  // Side by side, not one after the other: the page waits for the slowest read, not for their sum. The keys and the
  // recent rotations are thrown away for a connection that cannot hold keys (Auth0 refuses the keys read there).
  const connectionRead = getConnection(id);
  const keysRead = listConnectionKeys(id).then(
    async (keys) => ({ keys: await keyViews(keys), error: null }),
    (error: unknown) => ({ keys: undefined, error: messageOf(error, 'Keyshift could not load the keys.') }),
  );
  const recentRead = can(role, 'audit:read')
    ? auditPage({ connection: id }, { limit: RECENT_ROTATIONS }).catch(() => null)
    : null;

  // Without it the panel loads the setting itself.
  const idpRead = idpStatus(liveIdpDependencies(), id).catch(() => undefined);

  let connection: Awaited<ReturnType<typeof getConnection>>;
  try {
    connection = await connectionRead;
  } catch (error) {
    if (error instanceof Auth0Error && error.code === 'auth0:not_found') {
      // Switched here from another tenant's page of this id: the connection of the same name, if this tenant has one.
      const sameName = from ? await sameNamedConnection(from, id) : null;
      if (sameName) redirect(`/${tenant.slug}/connections/${sameName}`);
      notFound();
    }
    return (
      <ErrorPanel
        title="The connection could not be loaded"
        message={messageOf(error, 'Keyshift could not load this connection.')}
      />
    );
  }
  const initial = connection.keyCapable ? await keysRead : { keys: [], error: null };
  const currentKey = initial.keys?.find((key) => key.current) ?? null;
  const policy = connection.keyCapable
    ? await connectionPolicy(connection.id, {
        currentSince: currentKey?.currentSince ?? null,
        notAfter: currentKey?.certificate.ok ? currentKey.certificate.notAfter : null,
      }).catch(() => null)
    : null;
  const canReadAudit = connection.keyCapable && recentRead !== null;
  const recent = canReadAudit ? await recentRead : null;

  return (
    <div className="space-y-8">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link prefetch={false} href={`/${tenant.slug}`} className="hover:underline">
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
          canProvision={can(role, 'keys:provision')}
          canRotate={can(role, 'keys:rotate')}
          canHandOff={can(role, 'idp:configure')}
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
            canConfigure={can(role, 'idp:configure')}
          />
          {can(role, 'idp:configure') ? <HandoffLinksPanel connectionId={connection.id} /> : null}
        </section>
      ) : null}
      {policy ? (
        <section aria-labelledby="policy-title" className="space-y-3">
          <h2 id="policy-title" className="text-lg font-semibold tracking-tight">
            Rotation policy
          </h2>
          <RotationPolicyPanel connectionId={connection.id} policy={policy} canEdit={can(role, 'policy:write')} />
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

/**
 * The id, in the tenant in scope, of the connection named as `id` is in tenant `from`: null when the user cannot read
 * `from`, or either tenant has no such connection.
 */
async function sameNamedConnection(from: string, id: string): Promise<string | null> {
  const source = tenantBySlug(from);
  const user = await currentUser();
  if (!source || !user || !can(roleIn(user.roles, source.slug), 'connections:read')) return null;
  const name = await inTenant(source, () => getConnection(id)).then(
    (connection) => connection.name,
    () => null,
  );
  if (!name) return null;
  const list = await connectionList('all', { waitMs: 2_000 }).catch(() => null);
  return list?.connections?.find((connection) => connection.name === name)?.id ?? null;
}
