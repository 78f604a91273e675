import type { IncomingMessage } from 'node:http';
import type { AccessTokens, VerifiedToken } from './access-tokens';
import type { CallCounter, FaultBook } from './faults';
import type { Reply } from './http';
import type { TokenBucket } from './rate-limit';
import type { M2mClient, TenantIdentity } from './tenant';
import type { TenantStore } from './tenant-store';

/** Everything a route may touch; one instance per running emulator (one tenant). */
export interface Services {
  identity: TenantIdentity;
  tenant: TenantStore;
  tokens: AccessTokens;
  clients: ReadonlyMap<string, M2mClient>;
  bucket: TokenBucket;
  calls: CallCounter;
  faults: FaultBook;
  options: { keysBeforePrivateKeyJwt: boolean };
}

export interface RouteContext {
  req: IncomingMessage;
  url: URL;
  params: Record<string, string>;
  services: Services;
  /** Set on Management API routes, after the bearer token and scopes passed. */
  token?: VerifiedToken;
}

export interface Route {
  method: 'GET' | 'POST';
  /** Path with `{param}` segments; `METHOD template` is the route key used by counters and faults. */
  template: string;
  /** Present on Management API routes: rate limited, bearer token required, all these scopes needed. */
  scopes?: readonly string[];
  handle(context: RouteContext): Promise<Reply>;
}

export const routeKey = (route: Route) => `${route.method} ${route.template}`;

export function matchRoute(routes: readonly Route[], method: string, path: string) {
  const segments = path.split('/');
  for (const route of routes) {
    if (route.method !== method) continue;
    const params = matchTemplate(route.template.split('/'), segments);
    if (params) return { route, params };
  }
  return undefined;
}

function matchTemplate(template: string[], segments: string[]): Record<string, string> | undefined {
  if (template.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of template.entries()) {
    const segment = segments[index] ?? '';
    if (part.startsWith('{') && part.endsWith('}')) {
      if (segment === '') return undefined;
      try {
        params[part.slice(1, -1)] = decodeURIComponent(segment);
      } catch {
        return undefined;
      }
    } else if (part !== segment) {
      return undefined;
    }
  }
  return params;
}
