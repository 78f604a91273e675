import fc from 'fast-check';
import { expect, test } from 'vitest';
import { auditEventInput } from './types';
import { isJsonObject, wellFormed, wellFormedJson, wellFormedText } from './well-formed';

const R = '\uFFFD';
const smile = '😀'; // one code point, two UTF-16 code units

test.each([
  ['plain text is kept', 'Alice', 10, 'Alice'],
  ['NUL', 'a\0b', 10, `a${R}b`],
  ['a lone high surrogate', 'a\uD800b', 10, `a${R}b`],
  ['a lone low surrogate', 'a\uDC00b', 10, `a${R}b`],
  ['a high surrogate at the end', 'ab\uD83D', 10, `ab${R}`],
  ['two high surrogates before a low one', '\uD83D\uD83D\uDE00', 10, `${R}${smile}`],
  ['a pair is kept', `a${smile}b`, 10, `a${smile}b`],
  ['a leading U+FEFF (PGlite reads it back as nothing)', '\uFEFFAlice', 10, `${R}Alice`],
  ['a U+FEFF further on is kept', 'Al\uFEFFice', 10, 'Al\uFEFFice'],
  ['other controls are kept', '\x01\x1b\x7f\u2028', 10, '\x01\x1b\x7f\u2028'],
  ['a cut between two pairs', `${smile}${smile}`, 2, smile],
  ['a cut inside a pair drops the pair', `ab${smile}`, 3, 'ab'],
  ['a cut after the pair keeps it', `ab${smile}c`, 4, `ab${smile}`],
  ['a cap of one before a pair', smile, 1, ''],
])('wellFormedText: %s', (_, value, max, expected) => {
  expect(wellFormedText(value, max)).toBe(expected);
});

test('wellFormedText: any string becomes well-formed, NUL-free text within the cap, a prefix of the repaired input', () => {
  const unit = fc.oneof(
    fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code)),
    fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
    fc.constantFrom('\0', '\uFEFF'),
  );
  fc.assert(
    fc.property(fc.string({ unit, maxLength: 60 }), fc.integer({ min: 0, max: 70 }), (value, max) => {
      const text = wellFormedText(value, max);
      expect(text.length).toBeLessThanOrEqual(max);
      expect(text.length).toBeGreaterThanOrEqual(Math.min(max, value.length) - 1);
      expect(text).not.toContain('\0');
      expect(text.startsWith('\uFEFF')).toBe(false);
      // Well formed: UTF-8 round-trips it unchanged.
      expect(Buffer.from(text, 'utf8').toString('utf8')).toBe(text);
      expect(
        wellFormed(value)
          .replace(/^\uFEFF/, R)
          .startsWith(text),
      ).toBe(true);
    }),
  );
});

test('wellFormedJson repairs strings and keys at every depth, keeps a __proto__ key, and writes -0 as 0', () => {
  const input = JSON.parse('{"__proto__":{"a\\u0000":["\\ud800",-0,1.5]},"ok":true,"n":null}');
  const repaired = wellFormedJson(input) as Record<string, unknown>;
  expect(Object.keys(repaired)).toEqual(['__proto__', 'ok', 'n']);
  expect(Object.getPrototypeOf(repaired)).toBe(Object.prototype);
  expect(JSON.stringify(repaired)).toBe(`{"__proto__":{"a${R}":["${R}",0,1.5]},"ok":true,"n":null}`);
  // Leading U+FEFF survives inside jsonb: only a column's value is read back through a bare decoder.
  expect(wellFormedJson({ k: '\uFEFFv' })).toEqual({ k: '\uFEFFv' });
});

test.each([
  ['an object', { a: [1, 'x', null, { b: false }] }, true],
  ['an object with a __proto__ key', JSON.parse('{"__proto__":1}'), true],
  ['an array', [1], false],
  ['a string', 'x', false],
  ['a Date inside', { at: new Date() }, false],
  ['a non-finite number inside', { n: Number.POSITIVE_INFINITY }, false],
  ['undefined inside', { u: undefined }, false],
  ['a class instance', new (class Thing {})(), false],
])('isJsonObject: %s → %s', (_, value, expected) => {
  expect(isJsonObject(value)).toBe(expected);
});

test('the audit input keeps a details key named __proto__ (z.record would drop it)', () => {
  const details = JSON.parse('{"__proto__":{"polluted":true},"b":-0}');
  const parsed = auditEventInput.parse({ type: 'auth.signin', details });
  expect(JSON.stringify(parsed.details)).toBe('{"__proto__":{"polluted":true},"b":0}');
  expect(auditEventInput.safeParse({ type: 'auth.signin', details: { at: new Date() } }).success).toBe(false);
});
