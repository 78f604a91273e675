import { auditStore } from '@/lib/audit';
import { createExportHandler } from '@/lib/audit-view/export-response';
import { ROTATION_EVENT_TYPES } from '@/lib/audit-view/server';
import { authorize, requestInfo } from '@/lib/auth/authorize';

export const dynamic = 'force-dynamic';

const exportAudit = createExportHandler({
  authorize,
  requestInfo,
  async *exportEvents({ filters, format }) {
    const store = await auditStore();
    yield* store.exportEvents({ filters: { ...filters, types: ROTATION_EVENT_TYPES }, format });
  },
  logError: (message, details) => console.error(`[keyshift] ${message}`, JSON.stringify(details)),
  now: () => new Date(),
});

export function GET(request: Request): Promise<Response> {
  return exportAudit(request);
}
