/**
 * JSON.parse, made exact on Node 24. Its V8 (13.6, Node 24.21 checked) can misread an object key written with escapes:
 * once an object with the key `\` has been parsed, `{"\u0041": 1}` parses with the key `\`, not `A` (and once `\u`
 * has been a key, `{"\u0041B": 1}` gets `\u`). PostgreSQL writes a control character in a jsonb key as `\u00XX`, so an
 * audit event's details could read back with another key than the one hashed, and the chain would look tampered with.
 * Node 20 and 22 parse these right. A text without a backslash cannot meet the fault and goes to JSON.parse; a text
 * with one is read here, by RFC 8259's grammar, with JSON.parse's results (a `__proto__` key is a key, the last of
 * two equal keys wins). Client-safe: it imports nothing.
 */
export function parseJsonExactly(text: string): unknown {
  if (!text.includes('\\')) return JSON.parse(text);
  const reader = new Reader(text);
  reader.space();
  const value = reader.value();
  reader.space();
  if (reader.at < text.length) reader.fail('unexpected text after the value');
  return value;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const SHORT_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

class Reader {
  at = 0;
  constructor(private readonly text: string) {}

  fail(what: string): never {
    throw new SyntaxError(`JSON: ${what} at position ${this.at}`);
  }

  space(): void {
    const { text } = this;
    while (this.at < text.length) {
      const c = text.charCodeAt(this.at);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.at++;
    }
  }

  value(): unknown {
    const c = this.text[this.at];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (this.text.startsWith('true', this.at)) return this.word('true', true);
    if (this.text.startsWith('false', this.at)) return this.word('false', false);
    if (this.text.startsWith('null', this.at)) return this.word('null', null);
    return this.number();
  }

  private word<T>(word: string, value: T): T {
    this.at += word.length;
    return value;
  }

  private number(): number {
    NUMBER.lastIndex = this.at;
    const match = NUMBER.exec(this.text);
    if (!match) this.fail(this.at < this.text.length ? 'unexpected character' : 'unexpected end');
    this.at += match[0].length;
    return Number(match[0]);
  }

  private array(): unknown[] {
    const items: unknown[] = [];
    this.at++;
    this.space();
    if (this.text[this.at] === ']') {
      this.at++;
      return items;
    }
    for (;;) {
      this.space();
      items.push(this.value());
      this.space();
      const c = this.text[this.at++];
      if (c === ']') return items;
      if (c !== ',') this.fail("expected ',' or ']'");
    }
  }

  private object(): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    this.at++;
    this.space();
    if (this.text[this.at] === '}') {
      this.at++;
      return object;
    }
    for (;;) {
      this.space();
      if (this.text[this.at] !== '"') this.fail('expected a key');
      const key = this.string();
      this.space();
      if (this.text[this.at++] !== ':') this.fail("expected ':'");
      this.space();
      // Defined, not assigned: assigning `__proto__` would set the prototype instead of making a key.
      Object.defineProperty(object, key, { value: this.value(), writable: true, enumerable: true, configurable: true });
      this.space();
      const c = this.text[this.at++];
      if (c === '}') return object;
      if (c !== ',') this.fail("expected ',' or '}'");
    }
  }

  private string(): string {
    const { text } = this;
    let out = '';
    let start = ++this.at;
    for (;;) {
      if (this.at >= text.length) this.fail('unterminated string');
      const c = text.charCodeAt(this.at);
      if (c === 0x22) {
        out += text.slice(start, this.at++);
        return out;
      }
      if (c < 0x20) this.fail('control character in a string');
      if (c !== 0x5c) {
        this.at++;
        continue;
      }
      out += text.slice(start, this.at);
      const marker = text[this.at + 1];
      if (marker === 'u') {
        const hex = text.slice(this.at + 2, this.at + 6);
        if (!HEX4.test(hex)) this.fail('bad \\u escape');
        out += String.fromCharCode(Number.parseInt(hex, 16));
        this.at += 6;
      } else {
        const short = marker === undefined ? undefined : SHORT_ESCAPES[marker];
        if (short === undefined) this.fail('bad escape');
        out += short;
        this.at += 2;
      }
      start = this.at;
    }
  }
}
