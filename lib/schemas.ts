import { z } from 'zod';
import { signingAlgSchema } from '@/lib/certs/signing-alg-schema';
import { MAX_ROTATION_PERIOD_DAYS } from '@/lib/tenants/config';

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
    /**
     * The readiness gate: the not-ready state the dialog showed for the next key and the operator acknowledged
     * rotating past. The server rotates a connection that is not ready only when this names the state it finds.
     */
    acknowledgedReadiness: z.enum(['not_ready', 'unknown']).optional(),
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

/** How a connection's IdP learns keys (lib/idp/types.ts re-exports these): fetched JWKS, pasted keys, or not known. */
export const idpModes = ['jwks_url', 'pasted', 'unknown'] as const;
export const MIN_CACHE_SECONDS = 60;
export const MAX_CACHE_SECONDS = 7 * 24 * 3600;

/** How the connection's IdP learns keys; the cache time matters only for `jwks_url`, and is kept for the others. */
export const configureIdpInput = z
  .object({
    connectionId: connectionIdSchema,
    mode: z.enum(idpModes, { error: 'must be jwks_url, pasted or unknown' }),
    cacheSeconds: z
      .number({ error: 'must be a number of seconds' })
      .int('must be a whole number of seconds')
      .min(MIN_CACHE_SECONDS, 'must be at least 1 minute')
      .max(MAX_CACHE_SECONDS, 'must be at most 7 days'),
  })
  .strict();

/** The kid the page showed as next when the rotator recorded the IdP admin's confirmation. */
export const confirmNextKeyInput = z.object({ connectionId: connectionIdSchema, kid: kidSchema }).strict();

export type ConfigureIdpInput = z.infer<typeof configureIdpInput>;
export type RotateKeysInput = z.infer<typeof rotateKeysInput>;

/** A hand-off link's lifetime in whole days (the panel's choices, lib/handoff/types.ts, lie in this range). */
export const HANDOFF_MIN_DAYS = 1;
export const HANDOFF_MAX_DAYS = 30;
export const HANDOFF_DEFAULT_DAYS = 7;

export const createHandoffLinkInput = z
  .object({
    connectionId: connectionIdSchema,
    expiresInDays: z
      .number({ error: 'must be a number of days' })
      .int('must be a whole number of days')
      .min(HANDOFF_MIN_DAYS, 'must be at least 1 day')
      .max(HANDOFF_MAX_DAYS, 'must be at most 30 days')
      .default(HANDOFF_DEFAULT_DAYS),
  })
  .strict();

export const revokeHandoffLinkInput = z
  .object({
    connectionId: connectionIdSchema,
    linkId: z.string({ error: textRequired }).regex(/^[A-Za-z0-9_-]{22}$/, 'must be a hand-off link id'),
  })
  .strict();

/** A rotation period in whole days (lib/fleet), or null to remove one. */
export const rotationPeriodInput = z
  .object({
    connectionId: connectionIdSchema.nullable(),
    periodDays: z
      .number({ error: 'The period must be a number of days.' })
      .int('The period must be a whole number of days.')
      .min(1, 'The period must be at least 1 day.')
      .max(MAX_ROTATION_PERIOD_DAYS, `The period must be at most ${MAX_ROTATION_PERIOD_DAYS} days.`)
      .nullable(),
  })
  .strict();

/** Which connections a campaign takes: the fleet's states, or names (one per line in the form), at most 1000. */
const campaignSelectionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('overdue') }).strict(),
  z.object({ kind: z.literal('due') }).strict(),
  z.object({ kind: z.literal('ready') }).strict(),
  z
    .object({
      kind: z.literal('filter'),
      filter: z
        .object({
          state: z.enum(['all', 'overdue', 'due_soon', 'ok', 'no_key']),
          readiness: z.enum(['all', 'ready', 'not_ready', 'unknown']),
          algorithm: z.union([z.literal('all'), signingAlgSchema]),
          certAttention: z.boolean(),
          search: z.string().max(128),
        })
        .strict(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('names'),
      names: z
        .array(z.string().trim().min(1).max(128))
        .min(1, 'Name at least one connection.')
        .max(1000, 'A campaign takes at most 1000 connections.'),
    })
    .strict(),
]);

export const campaignPlanInput = z
  .object({
    selection: campaignSelectionSchema,
    algorithm: z.union([z.literal('keep'), signingAlgSchema]),
    includeNotReady: z.boolean(),
  })
  .strict();

export const startCampaignInput = campaignPlanInput
  .extend({
    digest: z.string().min(1).max(128),
    confirmation: z.string({ error: textRequired }).max(200),
  })
  .strict();

export const campaignIdSchema = z.string({ error: textRequired }).uuid('must be a campaign id');

export const campaignInput = z.object({ campaignId: campaignIdSchema }).strict();

export const controlCampaignInput = z
  .object({ campaignId: campaignIdSchema, control: z.enum(['pause', 'resume', 'cancel']) })
  .strict();

export const scheduleInput = z
  .object({
    enabled: z.boolean(),
    cron: z.string({ error: textRequired }).trim().min(1, 'is required').max(100),
    timeZone: z.string({ error: textRequired }).trim().min(1, 'is required').max(64),
    windowMinutes: z.number({ error: 'must be a number of minutes' }).int('must be whole minutes'),
  })
  .strict();
