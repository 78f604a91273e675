import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseJsonExactly } from './exact-json';

const keysOf = (value: unknown) => Object.keys(value as object);

describe('parseJsonExactly', () => {
  // What Node 24.21's JSON.parse gets wrong (each pair: the first key leaves a transition the second is misread by).
  test.each([
    [String.raw`{"\\": 1}`, String.raw`{"\u0041": 1}`, 'A'],
    [String.raw`{"\\": 1}`, String.raw`{"\u0001": 1}`, '\u0001'],
    [String.raw`{"\\u": 1}`, String.raw`{"\u0041B": 1}`, 'AB'],
    [String.raw`{"": 0, "\\": 1}`, String.raw`{"": 0, "\u001f": 1}`, '\u001f'],
  ])('after %s, %s has the key %j', (before, text, key) => {
    parseJsonExactly(before);
    JSON.parse(before);
    expect(keysOf(parseJsonExactly(text)).at(-1)).toBe(key);
  });

  test('reads back exactly whatever JSON.stringify wrote, __proto__ keys and lone surrogates included', () => {
    const key = fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('__proto__', '\\', '\\u', '"', '\u0001'));
    const value = fc.letrec((tie) => ({
      json: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(null, true, false),
        fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
        fc.string({ unit: 'binary' }),
        fc.array(tie('json'), { maxLength: 4 }),
        fc.dictionary(key, tie('json'), { maxKeys: 4 }),
      ),
    })).json;
    fc.assert(
      fc.property(value, fc.boolean(), (input, indent) => {
        const text = JSON.stringify(input, null, indent ? 2 : 0);
        // JSON.stringify is right on every Node; its text of what was read is the text read, byte for byte.
        expect(JSON.stringify(parseJsonExactly(text), null, indent ? 2 : 0)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  test('a __proto__ key is a key, not the prototype, and the last of two equal keys wins', () => {
    const parsed = parseJsonExactly(String.raw`{"__proto__": {"polluted": true}, "a\\": 1, "a\\": 2}`) as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__', 'a\\']);
    expect(parsed['a\\']).toBe(2);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test.each([
    String.raw`{"a\\": }`,
    String.raw`{"a\\" 1}`,
    String.raw`["\x"]`,
    String.raw`["\u12"]`,
    String.raw`["\u12G4"]`,
    `["a\\\n"]`,
    `["\\u0041\n"]`,
    String.raw`["\\"] x`,
    String.raw`["\\",]`,
    String.raw`{"\\": 1,}`,
    String.raw`["\\", 01]`,
    String.raw`["\\", .5]`,
    String.raw`["\\", tru]`,
    String.raw`["\\"`,
    String.raw`"\\`,
  ])('refuses %s as JSON.parse does', (text) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(() => parseJsonExactly(text)).toThrow(SyntaxError);
  });
});
