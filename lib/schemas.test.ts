import { describe, expect, test } from 'vitest';
import { connectionNameSchema, publicationInput } from './schemas';

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
