import type { Metadata } from 'next';
import { FleetView } from '@/components/fleet-view';
import { can, tenantsWhere } from '@/lib/auth/roles';
import { requirePermission } from '@/lib/auth/session';
import { config } from '@/lib/config';
import { inventoryStatus } from '@/lib/fleet/live';
import { fleetSnapshot, previewSnapshot } from '@/lib/fleet/view';
import { pageTenant } from '../tenant';

export const metadata: Metadata = { title: 'Fleet' };

/** Rows in the server-rendered HTML; the browser fetches the rest as soon as it runs. */
const PREVIEW_ROWS = 20;

export default async function FleetPage({ params }: { params: Promise<{ tenant: string }> }) {
  const tenant = await pageTenant(params);
  const user = await requirePermission('keys:read', `/${tenant.slug}/fleet`, tenant.slug);
  const initial = previewSnapshot(await fleetSnapshot([tenant], inventoryStatus), PREVIEW_ROWS);
  return (
    <FleetView
      initial={initial}
      canEdit={can(user.role, 'policy:write')}
      otherTenants={tenantsWhere(user.roles, config().tenants, 'keys:read').length > 1}
    />
  );
}
