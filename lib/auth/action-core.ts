import 'server-only';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { TakeResult } from '@/lib/async/token-bucket';
import { Auth0Error } from '@/lib/auth0/errors';
import { RotationError } from '@/lib/rotation/errors';
import type { TenantConfig } from '@/lib/tenants/config';
import type { Authorize, RequestInfo } from './authorize-core';
import type { Permission } from './roles';
import type { CurrentUser } from './session-types';

export type ActionErrorCode =
  | 'unauthenticated'
  | 'forbidden'
  | 'invalid_input'
  | 'rate_limited'
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
  /** The tenant the call named, in whose scope (lib/tenants/scope) it runs. */
  tenant: TenantConfig;
}

export interface ActionDependencies {
  /** The session and permission check (lib/auth/authorize), which also records a refusal. */
  authorize: Authorize;
  requestInfo(): Promise<RequestInfo>;
  /** Each user's share of each tenant's Auth0 rate limit for reads (lib/async/token-bucket), keyed by both. */
  readBudget: { take(key: string, cost: number): TakeResult };
  /** The configured tenant with this slug. */
  tenantBySlug(slug: string): TenantConfig | undefined;
  /** Runs the rest of the call in the tenant's scope (lib/tenants/scope). */
  inTenant<T>(tenant: TenantConfig, work: () => Promise<T>): Promise<T>;
  logError(message: string, details: Record<string, unknown>): void;
}

export interface ActionSpec<Schema extends z.ZodType> {
  name: string;
  permission: Permission;
  input: Schema;
  /**
   * For an action that reads from Auth0: the most Auth0 reads one call can make, charged to the user's read budget
   * before it runs, so that one user cannot spend the tenant's rate limit that rotations need. Rotations and
   * provisioning leave it out: they are never throttled by it.
   */
  auth0Reads?: (input: z.output<Schema>) => number;
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

/** An action's input as callers pass it: its own fields and the tenant's slug (an empty schema: the slug alone). */
export type WithTenant<Input> = (string extends keyof Input ? unknown : Input) & { tenant: string };

const failureOf =
  (requestId: string) =>
  (code: ActionErrorCode, message: string, fieldErrors?: Record<string, string[]>): ActionFailure =>
    fieldErrors ? { ok: false, code, message, fieldErrors, requestId } : { ok: false, code, message, requestId };

/** Every action is called with `{ tenant: slug, …its own input }`: the tenant apart, the rest for its schema. */
function splitTenant(rawInput: unknown): { slug: unknown; input: unknown } {
  if (rawInput === null || typeof rawInput !== 'object' || Array.isArray(rawInput)) {
    return { slug: undefined, input: rawInput };
  }
  const { tenant: slug, ...input } = rawInput as Record<string, unknown>;
  return { slug, input };
}

/**
 * The one way a server action runs: tenant → session → permission there → input → work → typed result. Nothing
 * reaches `run` (and so nothing reaches Auth0) unless every check passes; the work runs in the tenant's scope, so it
 * can reach no other tenant; any error leaves as a sentence, never a stack.
 */
export function createActionHelper(deps: ActionDependencies) {
  return function authorizedAction<Schema extends z.ZodType, T>(
    spec: ActionSpec<Schema>,
    run: (input: z.output<Schema>, context: ActionContext) => Promise<T>,
  ): (input: WithTenant<z.input<Schema>>) => Promise<ActionResult<T>> {
    return async (rawInput) => {
      const requestId = randomUUID();
      const fail = failureOf(requestId);
      const { slug, input } = splitTenant(rawInput);
      const tenant = typeof slug === 'string' ? deps.tenantBySlug(slug) : undefined;
      // Before the session: no tenant, nothing to authorize against, nothing recorded, nothing sent anywhere.
      if (!tenant) {
        return typeof slug === 'string'
          ? fail('invalid_input', `This Keyshift has no tenant “${slug.slice(0, 40)}”.`, {
              tenant: ['Unknown tenant.'],
            })
          : fail('invalid_input', 'Check the input. tenant: Name the tenant.', { tenant: ['Name the tenant.'] });
      }
      return deps.inTenant(tenant, () => attempt(tenant, input, requestId));
    };

    async function attempt(tenant: TenantConfig, rawInput: unknown, requestId: string): Promise<ActionResult<T>> {
      const fail = failureOf(requestId);
      try {
        const request = await deps.requestInfo();
        const authorization = await deps.authorize(spec.permission, {
          action: spec.name,
          requestId,
          tenant: tenant.slug,
          ...request,
        });
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
        if (spec.auth0Reads) {
          const budget = deps.readBudget.take(
            `${tenant.slug}\n${authorization.user.sub}`,
            spec.auth0Reads(parsed.data),
          );
          if (!budget.ok) {
            const seconds = Math.max(1, Math.ceil(budget.retryAfterMs / 1000));
            return fail('rate_limited', `You are making requests too quickly; try again in ${seconds} s.`);
          }
        }
        const data = await run(parsed.data, { user: authorization.user, requestId, tenant, ...request });
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
    }
  };
}
