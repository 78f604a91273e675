import { describe, expect, test } from 'vitest';
import { csvRow } from '@/lib/audit/export';
import { csvObjects, parseCsv } from './rfc4180';

describe('parseCsv (the reader e2e/audit.spec.ts checks exports with)', () => {
  test.each<[string, string, string[][]]>([
    [
      'plain',
      'a,b\r\n1,2\r\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'no final line break',
      'a,b\r\n1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    ['empty fields', ',,\r\n', [['', '', '']]],
    [
      'quoted comma, quote and line break',
      '"x,y","say ""hi""","two\r\nlines"\r\n',
      [['x,y', 'say "hi"', 'two\r\nlines']],
    ],
    ['an empty quoted field', '"",a\r\n', [['', 'a']]],
  ])('%s', (_label, text, expected) => {
    expect(parseCsv(text)).toEqual(expected);
  });

  test.each([
    ['a stray quote', 'ab"c,d\r\n'],
    ['text after a closing quote', '"ab"c,d\r\n'],
    ['an unclosed quote', '"abc,d\r\n'],
  ])('refuses %s', (_label, text) => {
    expect(() => parseCsv(text)).toThrow(/RFC 4180/);
  });

  test('reads back exactly what the audit export writes, awkward values included', () => {
    const values = ['plain', 'comma, inside', 'quote " inside', 'line\nbreak', '', 'ünïcødé ✓', '{"json":[1,2]}'];
    const text = csvRow(['name']) + values.map((value) => csvRow([value])).join('');
    expect(csvObjects(text).map((row) => row.name)).toEqual(values);
  });

  test('a record with the wrong number of fields is an error', () => {
    expect(() => csvObjects('a,b\r\n1\r\n')).toThrow(/1 fields, the header 2/);
  });
});
