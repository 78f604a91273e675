import { auditStore } from '@/lib/audit';
import { config } from '@/lib/config';
import { metricsAuthorized, renderMetrics } from '@/lib/fleet/metrics';
import { tenantFleet } from '@/lib/fleet/view';
import { inTenant } from '@/lib/tenants/scope';

export const dynamic = 'force-dynamic';

/**
 * Prometheus scrape endpoint: every served tenant's key facts and rotation counts, behind `METRICS_TOKEN` (a bearer
 * token, not the dashboard's session). Off (404) when no token is configured.
 */
export async function GET(request: Request): Promise<Response> {
  const { metricsToken, tenants } = config();
  if (!metricsToken) return new Response('Metrics are off: set METRICS_TOKEN to turn them on.\n', { status: 404 });
  if (!metricsAuthorized(request.headers.get('authorization'), metricsToken)) {
    return new Response('A bearer token is required.\n', {
      status: 401,
      headers: { 'WWW-Authenticate': 'Bearer realm="keyshift-metrics"', 'Cache-Control': 'no-store' },
    });
  }
  const now = new Date();
  const fleet = await Promise.all(
    tenants.map(async (tenant) => ({ tenant, rows: await inTenant(tenant, () => tenantFleet(now)) })),
  );
  const { contentType, body } = await renderMetrics(fleet, await (await auditStore()).rotationCounts(), now.getTime());
  return new Response(body, { headers: { 'Content-Type': contentType, 'Cache-Control': 'no-store' } });
}
