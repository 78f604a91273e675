/**
 * Audit text as the database will store it and read it back, decided before it is hashed, so that what is hashed is
 * exactly what is read back. PostgreSQL stores UTF-8: a lone surrogate reaches it as U+FFFD (text) or is refused
 * (jsonb's `\ud800`), and NUL is refused by both. PGlite reads a text value back through a TextDecoder, which drops
 * a leading U+FEFF (a byte-order mark to it). Each of these becomes U+FFFD here. Client-safe: it imports nothing.
 */

// A high surrogate not followed by a low one, a low one not preceded by a high one, or NUL. No `u` flag: the
// pattern sees UTF-16 code units, which is what lets it find the halves.
const MALFORMED = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\0/g;
const LEADING_BOM = /^\uFEFF/;

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** Lone surrogates and NUL replaced with U+FFFD; every other character kept. */
export function wellFormed(value: string): string {
  return value.replace(MALFORMED, '\uFFFD');
}

/** A column's value: well formed, and a leading U+FEFF replaced too (only the first character can be taken for a BOM). */
function wellFormedColumn(value: string): string {
  return wellFormed(value).replace(LEADING_BOM, '\uFFFD');
}

/**
 * Well formed (and no leading U+FEFF), then cut to at most `max` UTF-16 code units (JavaScript's `length`, the cap of every column) without
 * splitting an astral character: a pair that would straddle the cut is dropped whole.
 */
export function wellFormedText(value: string, max: number): string {
  const text = wellFormedColumn(value);
  if (text.length <= max) return text;
  const end = max > 0 && isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return text.slice(0, end);
}

/**
 * A JSON value as jsonb stores it: strings and keys well formed at every depth, -0 as 0 (jsonb has no negative zero).
 * Two keys that become equal keep the later value, as a JSON object with a repeated key does. Objects are built with
 * defined properties, so a key such as `__proto__` stays a key.
 */
export function wellFormedJson(value: unknown): unknown {
  if (typeof value === 'string') return wellFormed(value);
  if (typeof value === 'number') return Object.is(value, -0) ? 0 : value;
  if (Array.isArray(value)) return value.map(wellFormedJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [wellFormed(key), wellFormedJson(item)]));
  }
  return value;
}

/**
 * A JSON object (null, booleans, finite numbers, strings, arrays and plain objects below it). Checked here rather than
 * with `z.record(z.string(), z.json())`, whose parse assigns keys and so turns a `__proto__` key into a prototype
 * and drops it without a word.
 */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && Object.values(value).every(isJsonValue);
}

function isJsonValue(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  return isJsonObject(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
