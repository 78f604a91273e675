import 'server-only';
import type { Role } from './roles';

export interface CurrentUser {
  sub: string;
  email: string | null;
  name: string | null;
  role: Role | null;
}
