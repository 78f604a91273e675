/**
 * A strict RFC 4180 reader for tests: fields separated by commas, records by CRLF (a lone LF is accepted too),
 * quoted fields may hold commas, line breaks and doubled quotes. Throws on a stray quote or an unclosed field, so
 * a test fails when the writer breaks the format rather than reading something plausible.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let fieldStarted = false;
  const endField = () => {
    record.push(field);
    field = '';
    fieldStarted = false;
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  while (i < text.length) {
    const char = text[i] as string;
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        const next = text[i];
        if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') {
          throw new Error(`RFC 4180: a character after a closing quote at offset ${i}`);
        }
        continue;
      }
      field += char;
      i += 1;
      continue;
    }
    if (char === '"') {
      if (fieldStarted || field !== '') throw new Error(`RFC 4180: a quote inside an unquoted field at offset ${i}`);
      quoted = true;
      fieldStarted = true;
      i += 1;
    } else if (char === ',') {
      endField();
      i += 1;
    } else if (char === '\r' && text[i + 1] === '\n') {
      endRecord();
      i += 2;
    } else if (char === '\n') {
      endRecord();
      i += 1;
    } else {
      field += char;
      fieldStarted = true;
      i += 1;
    }
  }
  if (quoted) throw new Error('RFC 4180: a quoted field is not closed');
  if (fieldStarted || field !== '' || record.length > 0) endRecord();
  return records;
}

/** Records as objects keyed by the header row. */
export function csvObjects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows.map((row) => {
    if (row.length !== header.length) {
      throw new Error(`RFC 4180: a record has ${row.length} fields, the header ${header.length}`);
    }
    return Object.fromEntries(header.map((name, index) => [name, row[index] ?? '']));
  });
}
