import { notFound } from 'next/navigation';
import { auditStore } from '@/lib/audit';
import { ROTATION_EVENT_TYPES } from '@/lib/audit/view/audit-page';
import { authorize, requestInfo } from '@/lib/auth/authorize';
import { config, tenantBySlug } from '@/lib/config';
import { inTenant } from '@/lib/tenants/scope';
import { createExportHandler } from './export-response';

export const dynamic = 'force-dynamic';

const exportAudit = createExportHandler({
  authorize,
  requestInfo,
  async *exportEvents({ filters, format, wholeChain }) {
    const store = await auditStore();
    yield* store.exportEvents({ filters: wholeChain ? {} : { ...filters, types: ROTATION_EVENT_TYPES }, format });
  },
  logError: (message, details) => console.error(`[keyshift] ${message}`, JSON.stringify(details)),
  now: () => new Date(),
  tenantSlugs: () => config().tenants.map((tenant) => tenant.slug),
});

export async function GET(request: Request, { params }: { params: Promise<{ tenant: string }> }): Promise<Response> {
  const tenant = tenantBySlug((await params).tenant);
  if (!tenant) notFound();
  return inTenant(tenant, () => exportAudit(request, tenant.slug, tenant.domain));
}
