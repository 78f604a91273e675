import type { JwksPublication } from '@/lib/auth0/jwks';
import type { RotatedKeyView } from '@/lib/keys/types';
import type { RotationSuccess } from './types';

/** What the browser receives after a rotation: the new key with its certificate checked, and its publication. */
export interface RotationView extends Omit<RotationSuccess, 'key'> {
  key: RotatedKeyView;
  jwks: JwksPublication;
}
