import { apiError, type HttpError } from './http';

/**
 * Auth0 validates query strings against a JSON schema and answers 400 `invalid_query_string` with
 * z-schema style wording; this reproduces the shape (the exact wording is approximate).
 */
export function queryError(property: string, detail: string): HttpError {
  return apiError(400, `Query validation error: '${detail}' on property ${property}.`, 'invalid_query_string');
}

export class QueryReader {
  constructor(
    private readonly params: URLSearchParams,
    allowed: readonly string[],
  ) {
    const extra = [...new Set(params.keys())].filter((key) => !allowed.includes(key));
    if (extra.length > 0) {
      throw apiError(
        400,
        `Query validation error: 'Additional properties not allowed: ${extra.join(',')}'.`,
        'invalid_query_string',
      );
    }
  }

  has(name: string): boolean {
    return this.params.has(name);
  }

  string(name: string): string | undefined {
    const values = this.params.getAll(name);
    if (values.length > 1) throw queryError(name, 'Expected type string but found type array');
    return values[0];
  }

  /** Repeatable parameter (`strategy=a&strategy=b`). */
  strings(name: string): string[] {
    return this.params.getAll(name);
  }

  int(name: string, { min, max, fallback }: { min: number; max?: number; fallback: number }): number {
    const raw = this.string(name);
    if (raw === undefined || raw === '') return fallback;
    if (!/^-?\d+$/.test(raw)) throw queryError(name, 'Expected type integer but found type string');
    const value = Number(raw);
    if (value < min) throw queryError(name, `Value ${value} is less than minimum ${min}`);
    if (max !== undefined && value > max) throw queryError(name, `Value ${value} is greater than maximum ${max}`);
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.string(name);
    if (raw === undefined || raw === '') return fallback;
    if (raw !== 'true' && raw !== 'false') throw queryError(name, 'Expected type boolean but found type string');
    return raw === 'true';
  }
}

/** `fields=a,b&include_fields=true|false` projection, applied to every item of a listing. */
export function fieldProjection(query: QueryReader): <T extends object>(item: T) => Partial<T> {
  const fields = (query.string('fields') ?? '')
    .split(',')
    .map((field) => field.trim())
    .filter(Boolean);
  const include = query.bool('include_fields', true);
  if (fields.length === 0) return (item) => item;
  return (item) =>
    Object.fromEntries(Object.entries(item).filter(([key]) => fields.includes(key) === include)) as Partial<
      typeof item
    >;
}

/** Auth0 stops offset paging after the first 1,000 records; past that only checkpoints work. */
export const OFFSET_PAGING_LIMIT = 1000;

export interface OffsetPage<T> {
  start: number;
  limit: number;
  items: T[];
}

export function offsetPage<T>(items: readonly T[], page: number, perPage: number): OffsetPage<T> {
  const start = page * perPage;
  if (start + perPage > OFFSET_PAGING_LIMIT) {
    throw apiError(
      400,
      `You can only page through the first ${OFFSET_PAGING_LIMIT} records. Use checkpoint pagination (from and take) to retrieve more.`,
      'invalid_query_string',
    );
  }
  return { start, limit: perPage, items: items.slice(start, start + perPage) };
}
