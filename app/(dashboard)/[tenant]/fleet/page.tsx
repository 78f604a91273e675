import type { Metadata } from 'next';
import { FleetView } from '@/components/fleet-view';
import { can } from '@/lib/auth/roles';
import { requirePermission } from '@/lib/auth/session';
import { inventoryStatus } from '@/lib/fleet/live';
import { fleetSnapshot } from '@/lib/fleet/view';
import { pageTenant } from '../tenant';
import { readableTenants } from './readable';

export const metadata: Metadata = { title: 'Fleet' };

export default async function FleetPage({ params }: { params: Promise<{ tenant: string }> }) {
  const tenant = await pageTenant(params);
  const user = await requirePermission('keys:read', `/${tenant.slug}/fleet`, tenant.slug);
  const initial = await fleetSnapshot([tenant], inventoryStatus);
  return (
    <FleetView
      initial={initial}
      canEdit={can(user.role, 'policy:write')}
      otherTenants={readableTenants(user).length > 1}
    />
  );
}
