import type { PublicKeyFacts } from '@/lib/certs/public-key';

export function describeKey(key: PublicKeyFacts): string {
  return key.type === 'RSA' ? `RSA ${key.bits}-bit${key.pssOnly ? ' (PSS)' : ''}` : `EC ${key.curve}`;
}
