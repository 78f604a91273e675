import type { IncomingMessage, ServerResponse } from 'node:http';
import { requireScopes } from './access-tokens';
import type { Fault } from './faults';
import { apiError, HttpError, oauthError, type Reply, reasonPhrase, receiveBody, sleep } from './http';
import { tooManyRequests } from './rate-limit';
import type { Route, Services } from './router';

export const isManagementPath = (path: string) => path === '/api/v2' || path.startsWith('/api/v2/');

export function writeReply(res: ServerResponse, reply: Reply, truncate = false): void {
  let text = reply.body === undefined ? '' : JSON.stringify(reply.body);
  // Cut mid-document: a client must fail to parse it rather than read a shorter valid value.
  if (truncate) text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
  const headers: Record<string, string | number> = { ...reply.headers, 'content-length': Buffer.byteLength(text) };
  if (text) headers['content-type'] = 'application/json; charset=utf-8';
  res.writeHead(reply.status, headers);
  res.end(text);
}

/** Runs one matched route: rate limit, bearer token and scopes (Management API routes), then the handler. */
async function runRoute(
  route: Route,
  req: IncomingMessage,
  url: URL,
  params: Record<string, string>,
  services: Services,
) {
  let limitHeaders: Record<string, string> = {};
  try {
    if (!route.scopes) return await route.handle({ req, url, params, services });
    const decision = services.bucket.take();
    limitHeaders = decision.headers;
    if (!decision.allowed) {
      services.calls.rateLimited();
      throw tooManyRequests(decision.headers);
    }
    const token = await services.tokens.verify(req.headers.authorization);
    requireScopes(token, route.scopes);
    const reply = await route.handle({ req, url, params, services, token });
    return { ...reply, headers: { ...limitHeaders, ...reply.headers } };
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return { ...error.reply, headers: { ...limitHeaders, ...error.reply.headers } };
  }
}

/** The Auth0-shaped answer an injected status fault gives, in the shape of the route's API family. */
function statusFaultReply(route: Route, status: number, services: Services): Reply {
  const isOauth = route.template.startsWith('/oauth/token');
  if (status === 429) {
    const reset = String(Math.ceil(Date.now() / 1000) + 1);
    const { capacity } = services.bucket.settings;
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(capacity),
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': reset,
      ...(services.bucket.settings.retryAfter ? { 'retry-after': '1' } : {}),
    };
    const error = isOauth
      ? oauthError(429, 'too_many_requests', 'Global limit has been reached')
      : tooManyRequests(headers);
    return { ...error.reply, headers };
  }
  const message = status >= 500 ? 'An internal server error occurred' : reasonPhrase(status);
  const error = isOauth
    ? oauthError(status, status >= 500 ? 'server_error' : 'request_timeout', message)
    : apiError(status, message);
  return { ...error.reply, headers: route.scopes ? services.bucket.peek() : {} };
}

export interface FaultEnvironment {
  /** Aborted when the server closes, so latency and hang faults never keep it alive. */
  signal: AbortSignal;
  hold(ms: number, res: ServerResponse): void;
}

/** Applies the fault (if any) around running the route, then writes the response. */
export async function serveRoute(
  match: { route: Route; params: Record<string, string> },
  fault: Fault | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  services: Services,
  env: FaultEnvironment,
): Promise<void> {
  const { route, params } = match;
  switch (fault?.kind) {
    case 'drop':
      req.socket.destroy();
      return;
    case 'hang':
      env.hold(fault.ms, res);
      return;
    case 'status':
      writeReply(res, statusFaultReply(route, fault.status, services));
      return;
    case 'latency':
      await receiveBody(req);
      await sleep(fault.ms, env.signal);
      break;
  }
  const reply = await runRoute(route, req, url, params, services);
  if (fault?.kind === 'rotate-then-500') {
    // The operation happened (and was logged); only the answer is lost, as when a gateway fails after it.
    const error = route.template.startsWith('/oauth/token')
      ? oauthError(500, 'server_error', 'An internal server error occurred')
      : apiError(500, 'An internal server error occurred');
    writeReply(res, { ...error.reply, headers: pickRateLimitHeaders(reply.headers) });
    return;
  }
  writeReply(res, reply, fault?.kind === 'malformed-json' && reply.status < 300);
}

function pickRateLimitHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).filter(([name]) => name.startsWith('x-ratelimit-')));
}
