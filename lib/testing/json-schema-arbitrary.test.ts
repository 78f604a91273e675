import fc from 'fast-check';
import { expect, test } from 'vitest';
import { z } from 'zod';
import { connectionInput, provisionKeysInput, rotateKeysInput } from '@/lib/schemas';
import { arbitraryFor, type JsonSchema } from './json-schema-arbitrary';

// The generator feeds the action property tests; if it produced invalid input, "valid input" would go untested.
test.each([
  ['connectionInput', connectionInput],
  ['provisionKeysInput', provisionKeysInput],
  ['rotateKeysInput', rotateKeysInput],
  ['a list input', z.object({ scope: z.enum(['a', 'b']).default('a'), since: z.number().int().min(0).optional() })],
  [
    'an array input',
    z
      .object({
        ids: z
          .array(z.string().regex(/^con_[A-Za-z0-9]{16}$/))
          .min(1)
          .max(60),
      })
      .strict(),
  ],
])('%s: every generated value passes the schema', (_label, schema: z.ZodType) => {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  fc.assert(
    fc.property(arbitraryFor(json, ['con_Q7tLk2vMx9RbW4sE', 'okta-acme']), (value) => {
      expect(schema.safeParse(value).success).toBe(true);
    }),
  );
});
