import { describe, expect, test } from 'vitest';
import { connectionNameSchema, publicationInput, rotateKeysInput } from './schemas';

describe('connectionNameSchema', () => {
  test.each(['okta-initech', 'a', 'A1', `a${'-b'.repeat(63)}`, ' oidc-globex '])('accepts %j', (name) => {
    expect(connectionNameSchema.safeParse(name).success).toBe(true);
  });

  test.each([
    ['empty', ''],
    ['a leading dash', '-okta'],
    ['a trailing dash', 'okta-'],
    ['a slash (a path into another URL)', 'okta/../../keys'],
    ['a dot', 'okta.acme'],
    ['an encoded character', 'okta%2F'],
    ['more than 128 characters', 'a'.repeat(129)],
  ])('refuses %s', (_label, name) => {
    expect(connectionNameSchema.safeParse(name).success).toBe(false);
  });
});

describe('publicationInput', () => {
  test('needs a kid and refuses unknown fields', () => {
    expect(publicationInput.safeParse({ connectionName: 'okta-initech', kid: 'k1' }).success).toBe(true);
    expect(publicationInput.safeParse({ connectionName: 'okta-initech', kid: '' }).success).toBe(false);
    expect(publicationInput.safeParse({ connectionName: 'okta-initech', kid: 'k1', url: 'x' }).success).toBe(false);
  });
});

describe('rotateKeysInput', () => {
  const valid = {
    connectionId: 'con_AAAAAAAAAAAAAAAA',
    signingAlg: 'RS256',
    confirmName: 'okta-initech',
    expectedCurrentKid: 'kid-current',
    expectedNextKid: 'kid-next',
  };

  test('accepts a rotation that names the keys the page showed', () => {
    expect(rotateKeysInput.safeParse(valid).success).toBe(true);
  });

  test.each([
    ['without the current kid', 'expectedCurrentKid', undefined],
    ['without the next kid', 'expectedNextKid', undefined],
    ['with an empty current kid', 'expectedCurrentKid', ''],
    ['with a null next kid', 'expectedNextKid', null],
    ['with a kid that is not text', 'expectedCurrentKid', 42],
    ['with a kid longer than 256 characters', 'expectedNextKid', 'k'.repeat(257)],
  ])('refuses a rotation %s, naming the field', (_label, field, value) => {
    const result = rotateKeysInput.safeParse({ ...valid, [field]: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([field]);
  });
});
