import { z } from 'zod';
import { signingAlgSchema } from '@/lib/certs/signing-alg-schema';

/** Input schemas, one per action, shared by the forms and the server actions. */
/** "is required" only when the value is missing: a number where text belongs is not a missing value. */
const textRequired = (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : 'must be text');

export const connectionIdSchema = z
  .string({ error: textRequired })
  .trim()
  .regex(/^con_[A-Za-z0-9]{16}$/, 'must be a connection id: con_ followed by 16 letters or digits');

export const connectionInput = z.object({ connectionId: connectionIdSchema }).strict();

export const provisionKeysInput = z
  .object({ connectionId: connectionIdSchema, signingAlg: signingAlgSchema.optional() })
  .strict();

const kidSchema = z.string({ error: textRequired }).min(1, 'must name a key').max(256);

export const rotateKeysInput = z
  .object({
    connectionId: connectionIdSchema,
    signingAlg: signingAlgSchema,
    /** The operator types the connection's name; the server compares it with the name Auth0 has. */
    confirmName: z.string({ error: textRequired }).min(1, 'type the connection name to confirm').max(256),
    /**
     * The current and next kids the page showed when the operator confirmed: the server rotates only if Auth0 still
     * has exactly these, so a page a rotation behind cannot revoke a key its operator never saw as current.
     */
    expectedCurrentKid: kidSchema,
    expectedNextKid: kidSchema,
  })
  .strict();

/** Auth0's rule for connection names: letters, digits and dashes, starting and ending with a letter or digit. */
export const connectionNameSchema = z
  .string({ error: textRequired })
  .trim()
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,126}[A-Za-z0-9])?$/, 'must be a connection name');

export const publicationInput = z
  .object({ connectionName: connectionNameSchema, kid: z.string({ error: textRequired }).min(1).max(255) })
  .strict();

export type RotateKeysInput = z.infer<typeof rotateKeysInput>;
