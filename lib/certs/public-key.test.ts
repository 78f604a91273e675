import { describe, expect, test } from 'vitest';
import { describePublicKey, type PublicKeyFacts } from './public-key';

describe('describePublicKey', () => {
  test.each<[PublicKeyFacts, string]>([
    [{ type: 'RSA', bits: 2048, pssOnly: false }, 'RSA 2048-bit'],
    [{ type: 'RSA', bits: 3072, pssOnly: true }, 'RSA 3072-bit (PSS)'],
    [{ type: 'EC', curve: 'P-256', bits: 256 }, 'EC P-256'],
    [{ type: 'EC', curve: 'P-521', bits: 521 }, 'EC P-521'],
  ])('%o reads "%s"', (key, text) => {
    expect(describePublicKey(key)).toBe(text);
  });
});
