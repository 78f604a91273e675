import 'server-only';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { Auth0Error } from '@/lib/auth0/errors';
import { RotationError } from '@/lib/rotation/errors';
import type { Authorize, RequestInfo } from './authorize-core';
import type { Permission } from './roles';
import type { CurrentUser } from './session-types';

export type ActionErrorCode =
  | 'unauthenticated'
  | 'forbidden'
  | 'invalid_input'
  | 'conflict'
  | 'unavailable'
  | 'internal'
  | RotationError['code']
  | Auth0Error['code'];

export type ActionFailure = {
  ok: false;
  code: ActionErrorCode;
  message: string;
  fieldErrors?: Record<string, string[]>;
  requestId: string;
};
export type ActionResult<T> = { ok: true; data: T } | ActionFailure;

/** A failure the action means to report, with a sentence written for the operator. */
export class ActionError extends Error {
  constructor(
    readonly code: ActionErrorCode,
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = 'ActionError';
  }
}

export interface ActionContext extends RequestInfo {
  user: CurrentUser;
  requestId: string;
}

export interface ActionDependencies {
  /** The session and permission check (lib/auth/authorize), which also records a refusal. */
  authorize: Authorize;
  requestInfo(): Promise<RequestInfo>;
  logError(message: string, details: Record<string, unknown>): void;
}

export interface ActionSpec<Schema extends z.ZodType> {
  name: string;
  permission: Permission;
  input: Schema;
}

function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.join('.') : '_';
    fields[key] = [...(fields[key] ?? []), issue.message];
  }
  return fields;
}

function describeFields(fieldErrors: Record<string, string[]>): string {
  const parts = Object.entries(fieldErrors).map(([field, messages]) =>
    field === '_' ? messages.join(' ') : `${field}: ${messages.join(' ')}`,
  );
  return `Check the input. ${parts.join('; ')}`;
}

/**
 * The one way a server action runs: session → permission → input → work → typed result. Nothing reaches `run`
 * (and so nothing reaches Auth0) unless all three checks pass; any error leaves as a sentence, never a stack.
 */
export function createActionHelper(deps: ActionDependencies) {
  return function authorizedAction<Schema extends z.ZodType, T>(
    spec: ActionSpec<Schema>,
    run: (input: z.output<Schema>, context: ActionContext) => Promise<T>,
  ): (input: z.input<Schema>) => Promise<ActionResult<T>> {
    return async (rawInput) => {
      const requestId = randomUUID();
      const fail = (code: ActionErrorCode, message: string, fieldErrors?: Record<string, string[]>): ActionFailure =>
        fieldErrors ? { ok: false, code, message, fieldErrors, requestId } : { ok: false, code, message, requestId };
      try {
        const request = await deps.requestInfo();
        const authorization = await deps.authorize(spec.permission, { action: spec.name, requestId, ...request });
        if (!authorization.ok) {
          return authorization.reason === 'unauthenticated'
            ? fail('unauthenticated', 'Your session has ended. Sign in again to continue.')
            : fail('forbidden', 'Your role does not allow this.');
        }
        const parsed = spec.input.safeParse(rawInput);
        if (!parsed.success) {
          const fieldErrors = fieldErrorsOf(parsed.error);
          return fail('invalid_input', describeFields(fieldErrors), fieldErrors);
        }
        const data = await run(parsed.data, { user: authorization.user, requestId, ...request });
        return { ok: true, data };
      } catch (error) {
        // The failures each layer means to report, with the sentence it wrote for the operator; mapped here only.
        if (error instanceof ActionError || error instanceof RotationError) {
          return fail(error.code, error.message, error.fieldErrors);
        }
        if (error instanceof Auth0Error) return fail(error.code, error.message);
        deps.logError(`action ${spec.name} failed`, {
          requestId,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
        return fail('internal', `Something went wrong on our side. Reference: ${requestId}.`);
      }
    };
  };
}
