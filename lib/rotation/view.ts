import type { RotatedKeyView } from '@/lib/keys/types';
import type { RotationSuccess } from './types';

/**
 * What the browser receives after a rotation: the new key with its certificate checked. Whether the key is published
 * in the connection's JWKS is asked afterwards (checkPublicationAction), so that read is not part of the rotation.
 */
export interface RotationView extends Omit<RotationSuccess, 'key'> {
  key: RotatedKeyView;
}
