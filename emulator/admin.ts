import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { TOKEN_LIFETIME_SECONDS } from './access-tokens';
import { faultSchema } from './faults';
import { apiError, type Reply, readBody } from './http';
import { IDP_ENDPOINTS } from './idp-admin';
import type { Services } from './router';

export interface AdminHooks {
  routeKeys: readonly string[];
  /** Back to the fresh seed: key rings, logs, upstream IdPs, faults, counters, rate limit. */
  reset(): Promise<void>;
}

const rateLimitSchema = z.object({
  capacity: z.number().int().min(1),
  refillPerSecond: z.number().positive(),
  retryAfter: z.boolean().optional(),
});

const mintSchema = z.object({
  client_id: z.string(),
  scope: z.string().optional(),
  // May be negative: that is how tests get an already expired token.
  expires_in: z.number().int().default(TOKEN_LIFETIME_SECONDS),
});

const ENDPOINTS = [
  'GET /__emulator/calls',
  'DELETE /__emulator/calls',
  'GET /__emulator/faults',
  'POST /__emulator/faults',
  'DELETE /__emulator/faults',
  'POST /__emulator/reset',
  'GET /__emulator/rate-limit',
  'PUT /__emulator/rate-limit',
  'GET /__emulator/state',
  'POST /__emulator/tokens',
  ...IDP_ENDPOINTS,
];

async function parse<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  const result = schema.safeParse(await readBody(req));
  if (!result.success) throw apiError(400, z.prettifyError(result.error), 'invalid_body');
  return result.data;
}

/** Test and demo controls under `/__emulator/*`: no auth, never part of Auth0's surface. */
export async function handleAdmin(
  req: IncomingMessage,
  path: string,
  services: Services,
  hooks: AdminHooks,
): Promise<Reply> {
  const { calls, faults, bucket, tokens, tenant, clients } = services;
  switch (`${req.method} ${path}`) {
    case 'GET /__emulator/calls':
      return { status: 200, body: calls.snapshot() };
    case 'DELETE /__emulator/calls':
      calls.reset();
      return { status: 204 };
    case 'GET /__emulator/faults':
      return { status: 200, body: { faults: faults.list() } };
    case 'POST /__emulator/faults': {
      const fault = await parse(req, faultSchema(hooks.routeKeys));
      if (fault.kind === 'expire-tokens') {
        return { status: 200, body: { kind: fault.kind, revoked_before: new Date(tokens.revokeAll()).toISOString() } };
      }
      faults.arm(fault);
      return { status: 201, body: { armed: fault } };
    }
    case 'DELETE /__emulator/faults':
      faults.clear();
      return { status: 204 };
    case 'POST /__emulator/reset':
      await hooks.reset();
      return { status: 204 };
    case 'GET /__emulator/rate-limit':
      return { status: 200, body: bucket.settings };
    case 'PUT /__emulator/rate-limit':
      bucket.configure(await parse(req, rateLimitSchema));
      return { status: 200, body: bucket.settings };
    case 'GET /__emulator/state':
      return {
        status: 200,
        body: {
          domain: tenant.domain,
          connections: tenant.connections.length,
          connections_with_keys: tenant.connections.filter((connection) => tenant.hasKeys(connection.id)).length,
          logs: tenant.logs.all.length,
          calls: calls.snapshot(),
          faults: faults.list(),
          rate_limit: bucket.settings,
          route_keys: hooks.routeKeys,
        },
      };
    case 'POST /__emulator/tokens': {
      const request = await parse(req, mintSchema);
      const client = clients.get(request.client_id);
      if (!client) throw apiError(400, `Unknown client_id: ${request.client_id}`, 'invalid_body');
      // Minting bypasses the grant: tests use it for scopes a client was never granted.
      const scopes = request.scope === undefined ? client.scopes : request.scope.split(/\s+/).filter(Boolean);
      const accessToken = await tokens.issue(client, scopes, request.expires_in);
      return {
        status: 200,
        body: {
          access_token: accessToken,
          scope: scopes.join(' '),
          expires_in: request.expires_in,
          token_type: 'Bearer',
        },
      };
    }
    default:
      return {
        status: 404,
        body: { statusCode: 404, error: 'Not Found', message: 'Unknown emulator endpoint', endpoints: ENDPOINTS },
      };
  }
}
