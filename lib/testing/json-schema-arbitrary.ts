import fc from 'fast-check';

/** The part of JSON Schema that `z.toJSONSchema` produces for Keyshift's action inputs. */
export interface JsonSchema {
  type?: 'object' | 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'null';
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  /** A discriminated union (zod's discriminatedUnion) comes out as oneOf: one of the options, as for anyOf. */
  oneOf?: JsonSchema[];
}

/** Arrays stay short: a valid input should be cheap to act on, however large the schema allows it to be. */
const MAX_ARRAY = 4;

/**
 * Values the schema accepts (test data for fast-check). `known` are real-world values (seeded connection ids and
 * names) offered wherever the schema allows them, so that valid input also reaches real work, not only 404s.
 */
export function arbitraryFor(schema: JsonSchema, known: readonly string[] = []): fc.Arbitrary<unknown> {
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return fc.oneof(...options.map((option) => arbitraryFor(option, known)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'object': {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const record = Object.fromEntries(
        Object.entries(properties).map(([key, value]) => [key, arbitraryFor(value, known)]),
      );
      return fc.record(record, { requiredKeys: Object.keys(properties).filter((key) => required.has(key)) });
    }
    case 'string': {
      const fits = known.filter(
        (value) =>
          (schema.pattern === undefined || new RegExp(schema.pattern).test(value)) &&
          value.length >= (schema.minLength ?? 0) &&
          value.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY),
      );
      const generated = schema.pattern
        ? fc.stringMatching(new RegExp(schema.pattern))
        : fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 64, 64) });
      return fits.length > 0 ? fc.oneof(fc.constantFrom(...fits), generated) : generated;
    }
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: Math.min(schema.maximum ?? 1_000_000, 2 ** 31) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? MAX_ARRAY, MAX_ARRAY));
      return fc.array(arbitraryFor(schema.items ?? {}, known), { minLength, maxLength });
    }
    default:
      return fc.jsonValue();
  }
}
