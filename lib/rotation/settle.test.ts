import { describe, expect, test } from 'vitest';
import { settleFromKeys } from './settle';
import { testKey } from './test-keys';

const key = testKey;

const before = [key('a', 'previous'), key('b', 'current'), key('c', 'next')];

describe('settleFromKeys', () => {
  test('nothing moved: the rotation did not happen', () => {
    expect(settleFromKeys(before, before)).toEqual({ happened: false });
  });

  test('next became current and a new next appeared: it happened, and the new key is returned', () => {
    const after = [key('b', 'previous'), key('c', 'current'), key('d', 'next')];
    const result = settleFromKeys(before, after);
    expect(result.happened).toBe(true);
    if (result.happened === true) {
      expect(result.key.kid).toBe('d');
      expect(result.key).not.toHaveProperty('current');
    }
  });

  test.each([
    ['two rotations happened meanwhile', [key('c', 'previous'), key('d', 'current'), key('e', 'next')]],
    ['the keys vanished', []],
    ['a known key became next again', [key('b', 'previous'), key('c', 'current'), key('a', 'next')]],
  ])('%s: unclear', (_label, after) => {
    expect(settleFromKeys(before, after)).toEqual({ happened: 'unclear' });
  });

  test('no next key before: unclear, since Auth0 always keeps one', () => {
    const start = [key('b', 'current')];
    expect(settleFromKeys(start, [key('b', 'previous'), key('x', 'current'), key('y', 'next')])).toEqual({
      happened: 'unclear',
    });
  });
});
