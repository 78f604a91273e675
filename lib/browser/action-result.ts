import type { ActionResult } from '@/lib/auth/action-core';

/** For TanStack Query: a failed action becomes a thrown error carrying the action's sentence. */
export class ActionFailedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ActionFailedError';
  }
}

export async function unwrap<T>(pending: Promise<ActionResult<T>>): Promise<T> {
  const result = await pending;
  if (result.ok) return result.data;
  throw new ActionFailedError(result.code, result.message);
}
