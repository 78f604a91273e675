/**
 * How a rotation ended, named once for the store, the log sync and the browser (the audit page's filters and
 * badges), so it imports nothing and is safe in a client bundle.
 */

/** What an outcome event records: the rotation happened, did not, or Keyshift could not tell. */
export const settledOutcomes = ['succeeded', 'failed', 'unknown'] as const;
export type SettledOutcome = (typeof settledOutcomes)[number];

/** A rotation's outcome as the audit lists it: settled, still without an outcome, or made outside Keyshift. */
export const rotationOutcomes = [...settledOutcomes, 'in_progress', 'external'] as const;
export type RotationOutcome = (typeof rotationOutcomes)[number];

/** What the outcome filter offers: `requested` is every rotation Keyshift was asked to make, whatever its outcome. */
export const outcomeFilters = ['requested', ...rotationOutcomes] as const;
export type OutcomeFilter = (typeof outcomeFilters)[number];

type OutcomeTypes<T extends readonly string[]> = { readonly [K in keyof T]: `rotation.${T[K] & string}` };

/**
 * The events that settle a `rotation.requested` event (joined to it by requestId): `rotation.<settled outcome>`,
 * spelled out so that its type is a tuple (the event type enum is built from it), and checked against settledOutcomes.
 */
export const outcomeTypes = [
  'rotation.succeeded',
  'rotation.failed',
  'rotation.unknown',
] as const satisfies OutcomeTypes<typeof settledOutcomes>;
export type OutcomeType = (typeof outcomeTypes)[number];

export function isOutcomeType(type: string): type is OutcomeType {
  return (outcomeTypes as readonly string[]).includes(type);
}

export function isSettledOutcome(outcome: string | undefined): outcome is SettledOutcome {
  return (settledOutcomes as readonly (string | undefined)[]).includes(outcome);
}
