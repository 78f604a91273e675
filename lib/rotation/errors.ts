/** Why a rotation ended without a new key, in the codes the caller reports as they are. */
export type RotationErrorCode = 'conflict' | 'invalid_input' | 'not_ready' | 'precondition_failed' | 'unavailable';

/** A rotation that did not produce a key for a reason of Keyshift's own, with a sentence written for the operator. */
export abstract class RotationError extends Error {
  constructor(
    readonly code: RotationErrorCode,
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
  }
}

/**
 * Refused before anything was sent to Auth0 (a wrong name, no keys, the lock held, keys other than those shown, no
 * audit): nothing changed.
 */
export class RotationRefused extends RotationError {
  constructor(code: RotationErrorCode, message: string, fieldErrors?: Record<string, string[]>) {
    super(code, message, fieldErrors);
    this.name = 'RotationRefused';
  }
}

/** Auth0 may have rotated and reading the keys back could not tell: the operator must look before trying again. */
export class RotationUnsettled extends RotationError {
  constructor(message: string) {
    super('unavailable', message);
    this.name = 'RotationUnsettled';
  }
}
