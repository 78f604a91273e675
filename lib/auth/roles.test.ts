import { describe, expect, test } from 'vitest';
import { can, type Permission, type Role, resolveRole } from './roles';

const lists = { rotatorEmails: ['ops@acme.com'], viewerEmails: ['audit@acme.com'] };

describe('resolveRole', () => {
  test.each([
    [['rotator'], 'alice@example.com', 'rotator'],
    [['viewer'], 'bob@example.com', 'viewer'],
    [['viewer', 'rotator'], 'x@example.com', 'rotator'],
    ['Rotator', 'x@example.com', 'rotator'],
    ['viewer other', 'x@example.com', 'viewer'],
    [[], 'carol@example.com', null],
    [undefined, 'carol@example.com', null],
    [{ rotator: true }, 'x@example.com', null],
    [[42, null], 'x@example.com', null],
    [['admin'], 'x@example.com', null],
    [undefined, 'OPS@acme.com', 'rotator'],
    [['viewer'], 'ops@acme.com', 'rotator'],
    [undefined, 'audit@acme.com', 'viewer'],
    [undefined, '', null],
    [undefined, null, null],
  ] as const)('claim %j with email %s → %s', (claim, email, expected) => {
    expect(resolveRole({ claim, email, emailVerified: true }, lists)).toBe(expected);
  });

  test('an unverified email never matches an allow-list', () => {
    expect(resolveRole({ claim: undefined, email: 'ops@acme.com', emailVerified: false }, lists)).toBeNull();
    expect(resolveRole({ claim: ['viewer'], email: 'ops@acme.com', emailVerified: false }, lists)).toBe('viewer');
  });
});

describe('can', () => {
  test.each([
    ['viewer', 'connections:read', true],
    ['viewer', 'keys:read', true],
    ['viewer', 'audit:read', true],
    ['viewer', 'keys:rotate', false],
    ['viewer', 'keys:provision', false],
    ['rotator', 'keys:rotate', true],
    ['rotator', 'keys:provision', true],
    [null, 'connections:read', false],
    [undefined, 'keys:read', false],
  ] as const)('%s may %s: %s', (role, permission, expected) => {
    expect(can(role as Role | null | undefined, permission as Permission)).toBe(expected);
  });
});
