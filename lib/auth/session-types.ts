import 'server-only';
import type { TenantRoles } from './roles';

export interface CurrentUser {
  sub: string;
  email: string | null;
  name: string | null;
  /** Per tenant (lib/auth/roles): `roleIn(user.roles, slug)` is the user's role in one. */
  roles: TenantRoles;
}
