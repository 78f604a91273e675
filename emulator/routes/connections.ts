import { apiError } from '../http';
import { fieldProjection, offsetPage, QueryReader, queryError } from '../query';
import type { Route } from '../router';
import type { Connection } from '../tenant';
import type { TenantStore } from '../tenant-store';

/** The strategies Auth0's query schema accepts (a representative subset of its enum). */
const STRATEGIES = new Set(
  (
    'ad adfs amazon apple auth0 auth0-oidc baidu bitbucket box dropbox email evernote facebook github google-apps ' +
    'google-oauth2 instagram ip line linkedin oauth1 oauth2 office365 oidc okta paypal pingfederate planningcenter ' +
    'salesforce samlp sharepoint shopify sms soundcloud twitter waad windowslive wordpress yahoo yandex'
  ).split(' '),
);

/** Non-paged listings stop at 50 items, the same as the default page size (*unconfirmed* cap). */
const UNPAGED_LIMIT = 50;

const encodeCheckpoint = (id: string) => Buffer.from(`cp1:${id}`).toString('base64url');

function decodeCheckpoint(from: string, tenant: TenantStore): number {
  const decoded = Buffer.from(from, 'base64url').toString('utf8');
  const position = decoded.startsWith('cp1:') ? tenant.positionOf(decoded.slice(4)) : undefined;
  if (position === undefined) throw queryError('from', 'Invalid checkpoint');
  return position;
}

/**
 * `GET /api/v2/connections`. Which paging applies when several kinds of parameter are given (*unconfirmed*):
 * `from` → checkpoint; else `page`/`per_page` → offset; else `take` → checkpoint; else `include_totals=true`
 * → offset; else a plain array. Checkpoint pages ignore `include_totals`, as Auth0 documents.
 */
export const listConnectionsRoute: Route = {
  method: 'GET',
  template: '/api/v2/connections',
  scopes: ['read:connections'],
  async handle({ url, services: { tenant } }) {
    const query = new QueryReader(url.searchParams, [
      'strategy',
      'name',
      'fields',
      'include_fields',
      'from',
      'take',
      'page',
      'per_page',
      'include_totals',
    ]);
    const strategies = query.strings('strategy');
    for (const strategy of strategies) {
      if (!STRATEGIES.has(strategy)) throw queryError('strategy', `No enum match for: "${strategy}"`);
    }
    const name = query.string('name');
    const matches = (connection: Connection) =>
      (strategies.length === 0 || strategies.includes(connection.strategy)) &&
      (name === undefined || connection.name === name);
    const project = fieldProjection(query);
    const includeTotals = query.bool('include_totals', false);
    const offset = query.has('page') || query.has('per_page');

    if (query.has('from') || (query.has('take') && !offset)) {
      const take = query.int('take', { min: 1, max: 100, fallback: 50 });
      const from = query.string('from');
      const start = from ? decodeCheckpoint(from, tenant) : 0;
      const page: Connection[] = [];
      let next: string | undefined;
      for (let index = start; index < tenant.connections.length; index++) {
        const connection = tenant.connections[index] as Connection;
        if (!matches(connection)) continue;
        if (page.length === take) {
          next = encodeCheckpoint(connection.id);
          break;
        }
        page.push(connection);
      }
      return { status: 200, body: { ...(next ? { next } : {}), connections: page.map(project) } };
    }

    const all = tenant.connections.filter(matches);
    if (!offset && !includeTotals) return { status: 200, body: all.slice(0, UNPAGED_LIMIT).map(project) };
    const page = query.int('page', { min: 0, fallback: 0 });
    const perPage = query.int('per_page', { min: 1, max: 100, fallback: 50 });
    const { start, limit, items } = offsetPage(all, page, perPage);
    const connections = items.map(project);
    return { status: 200, body: includeTotals ? { start, limit, total: all.length, connections } : connections };
  },
};

export const getConnectionRoute: Route = {
  method: 'GET',
  template: '/api/v2/connections/{id}',
  scopes: ['read:connections'],
  async handle({ url, params, services: { tenant } }) {
    const project = fieldProjection(new QueryReader(url.searchParams, ['fields', 'include_fields']));
    const connection = tenant.connection(params.id ?? '');
    if (!connection) throw apiError(404, 'The connection does not exist', 'inexistent_connection');
    return { status: 200, body: project(connection) };
  },
};
