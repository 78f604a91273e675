import 'server-only';
import { can, roleIn } from '@/lib/auth/roles';
import type { CurrentUser } from '@/lib/auth/session-types';
import { config } from '@/lib/config';
import type { TenantConfig } from '@/lib/tenants/config';

/** The served tenants in which the user may read keys: the fleet's "all my tenants" never shows another. */
export function readableTenants(user: Pick<CurrentUser, 'roles'>): TenantConfig[] {
  return config().tenants.filter((tenant) => can(roleIn(user.roles, tenant.slug), 'keys:read'));
}
