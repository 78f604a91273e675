import { apiError } from '../http';
import type { Route } from '../router';

export const listLogsRoute: Route = {
  method: 'GET',
  template: '/api/v2/logs',
  scopes: ['read:logs'],
  async handle({ url, services }) {
    return { status: 200, body: services.tenant.logs.query(url.searchParams) };
  },
};

export const getLogRoute: Route = {
  method: 'GET',
  template: '/api/v2/logs/{id}',
  scopes: ['read:logs'],
  async handle({ params, services }) {
    const event = services.tenant.logs.get(params.id ?? '');
    if (!event) throw apiError(404, 'Log event not found', 'inexistent_log');
    return { status: 200, body: event };
  },
};
