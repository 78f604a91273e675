import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { csvField } from './export';
import { type AuditEvent, type AuditFilters, csvColumns } from './index';
import { auditBackends, type Scratch } from './test-backends';

const backends = await auditBackends('lib/audit/export.test.ts');

/** RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks; records end with CRLF. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    const next = text[i + 1];
    i += 1;
    if (quoted && char === '"' && next === '"') {
      field += '"';
      i += 1;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (quoted) {
      field += char;
    } else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && next === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 1;
    } else {
      field += char;
    }
  }
  expect({ field, record }).toEqual({ field: '', record: [] });
  return records;
}

async function collect(chunks: AsyncIterable<string>) {
  const parts: string[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return parts;
}

test.each([
  [null, ''],
  [42, '42'],
  ['plain', 'plain'],
  ['a,b', '"a,b"'],
  ['say "hi"', '"say ""hi"""'],
  ['two\r\nlines', '"two\r\nlines"'],
  ['=HYPERLINK("http://evil")', `"'=HYPERLINK(""http://evil"")"`],
  ['+1', "'+1"],
  ['-2+3', "'-2+3"],
  ['@SUM(A1)', "'@SUM(A1)"],
  ['\tx', "'\tx"],
  [new Date(Date.UTC(2026, 0, 2)), '2026-01-02T00:00:00.000Z'],
  [{ b: 1 }, '"{""b"":1}"'],
])('csvField(%j) is %j', (value, expected) => {
  expect(csvField(value)).toBe(expected);
});

describe.each(backends)('audit export on %s', (_, backend) => {
  const it = backend.available ? test : test.skip;
  let scratch: Scratch;
  beforeAll(async () => {
    if (!backend.available) return;
    scratch = await backend.fresh();
    for (let n = 0; n < 12; n++) {
      await scratch.store.append({
        type: n % 3 === 0 ? 'access.denied' : 'auth.signin',
        actorSub: `auth0|${n}`,
        actorName: n === 4 ? '=cmd|"/c calc"!A1' : `User, "${n}"`,
        connectionId: n % 2 === 0 ? 'con_even' : 'con_odd',
        userAgent: 'Mozilla/5.0\r\nInjected: header',
        details: { n, note: 'ünïcode ✓' },
      });
    }
  });
  afterAll(async () => scratch?.close());

  const listAll = async (filters: AuditFilters) => (await scratch.store.list({ filters, limit: 500 })).events;
  const asJson = (events: AuditEvent[]) => JSON.parse(JSON.stringify(events));

  it.each<[string, AuditFilters]>([
    ['everything', {}],
    ['one connection', { connectionId: 'con_even' }],
    ['one type', { types: ['access.denied'] }],
    ['no match', { connectionId: 'con_none' }],
  ])('exports %s as CSV that parses back to the listed events', async (_, filters) => {
    const chunks = await collect(scratch.store.exportEvents({ filters, format: 'csv', batchSize: 5 }));
    const [header, ...rows] = parseCsv(chunks.join(''));
    expect(header).toEqual([...csvColumns]);
    const expected = await listAll(filters);
    expect(rows.map((cells) => Number(cells[0]))).toEqual(expected.map((event) => event.id));
    // One chunk for the header, then one per batch of five: the export never holds more than a batch.
    expect(chunks.length).toBe(1 + Math.ceil(expected.length / 5));
    for (const [index, cells] of rows.entries()) {
      const event = expected[index] as AuditEvent;
      const cell = (column: (typeof csvColumns)[number]) => cells[csvColumns.indexOf(column)];
      expect(cell('userAgent')).toBe(event.userAgent);
      expect(cell('occurredAt')).toBe(event.occurredAt.toISOString());
      expect(JSON.parse(cell('details') ?? '')).toEqual(event.details);
      expect(cell('hash')).toBe(event.hash);
      const name = event.actorName ?? '';
      expect(cell('actorName')).toBe(name.startsWith('=') ? `'${name}` : name);
    }
  });

  it.each<[string, AuditFilters]>([
    ['everything', {}],
    ['one connection', { connectionId: 'con_odd' }],
    ['no match', { actor: 'nobody' }],
  ])('exports %s as a streamed JSON array of the listed events', async (_, filters) => {
    const chunks = await collect(scratch.store.exportEvents({ filters, format: 'json', batchSize: 4 }));
    const document = JSON.parse(chunks.join(''));
    expect(document).toMatchObject({ kind: 'keyshift.audit-export', version: 1, filtered: _ !== 'everything' });
    expect(document.events).toEqual(asJson(await listAll(filters)));
  });
});
