import { config } from '@/lib/config';

export const dynamic = 'force-dynamic';

/** Liveness for load balancers and the test harness; says nothing about the tenant beyond its domain. */
export function GET() {
  return Response.json({ ok: true, tenant: config().auth0.domain });
}
