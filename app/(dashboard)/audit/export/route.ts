import { auditStore } from '@/lib/audit';
import { ROTATION_EVENT_TYPES } from '@/lib/audit/view/audit-page';
import { authorize, requestInfo } from '@/lib/auth/authorize';
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
});

export function GET(request: Request): Promise<Response> {
  return exportAudit(request);
}
