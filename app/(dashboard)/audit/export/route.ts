import { auditStore } from '@/lib/audit';
import { accessDeniedEvent } from '@/lib/audit/events';
import { ROTATION_EVENT_TYPES } from '@/lib/audit/view/audit-page';
import { createExportHandler } from '@/lib/audit/view/export-response';
import { currentUser } from '@/lib/auth/session';

export const dynamic = 'force-dynamic';

const exportAudit = createExportHandler({
  currentUser,
  recordDenied: async (attempt) => {
    await (await auditStore()).append(accessDeniedEvent(attempt));
  },
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
