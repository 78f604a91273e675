import 'server-only';
import { randomUUID } from 'node:crypto';
import { exportFailureMarker } from '@/lib/audit/export';
import { type AuditSearch, parseAuditSearch, storeFilters } from '@/lib/audit/view/filters';
import { prepend, textStream } from '@/lib/audit/view/stream';
import type { Authorize, RequestInfo } from '@/lib/auth/authorize-core';
import { can, roleIn } from '@/lib/auth/roles';

export type ExportFormat = 'csv' | 'json';

export interface ExportDependencies {
  /** The session and permission check every action makes too (lib/auth/authorize), refusals recorded. */
  authorize: Authorize;
  /** The client address and user agent a refusal is recorded with (lib/auth/authorize `requestInfo`). */
  requestInfo(headers: Pick<Headers, 'get'>): RequestInfo;
  /**
   * The store's export (lib/audit `exportEvents`): restricted to the events the page lists, or with `wholeChain` every
   * event unfiltered (the export `npm run audit:verify -- --file` verifies offline).
   */
  exportEvents(options: {
    filters: ReturnType<typeof storeFilters>;
    format: ExportFormat;
    wholeChain: boolean;
  }): AsyncIterable<string>;
  logError(message: string, details: Record<string, unknown>): void;
  now(): Date;
  /** Every configured tenant's slug: the whole chain holds all their events. */
  tenantSlugs(): string[];
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

function refusal(status: number, code: string, message: string, requestId: string): Response {
  return Response.json(
    { error: code, message, requestId },
    { status, headers: { 'cache-control': 'no-store', 'x-request-id': requestId } },
  );
}

export function exportFileName(format: ExportFormat, now: Date, tenant: string, wholeChain = false): string {
  return `keyshift-audit-${wholeChain ? 'chain' : tenant}-${now.toISOString().slice(0, 10)}.${format}`;
}

/**
 * `GET /audit/export?format=csv|json&<the page's filters>` (or `&scope=chain`: every event, unfiltered): the same checks as every action (session, then
 * `audit:read`, a refusal recorded in the audit trail), then the matching events streamed straight from the store,
 * one batch at a time, as an attachment. The first batch is read before answering, so that a failure the database
 * reports at once becomes a clean error response rather than a truncated file. A failure after that is logged,
 * ends the file with a marker that makes it visibly incomplete (an `EXPORT FAILED` row in CSV, invalid JSON), and
 * then cuts the response off without its end, so the browser reports the download as failed, never a shorter 200.
 */
export function createExportHandler(deps: ExportDependencies) {
  /** `tenant`: the slug of the tenant in the URL (and in scope): a page export holds that tenant's events only. */
  return async function exportAudit(request: Request, tenant: string, tenantDomain: string): Promise<Response> {
    const requestId = randomUUID();
    const attempt = { action: 'exportAudit', requestId, tenant, ...deps.requestInfo(request.headers) };
    const authorization = await deps.authorize('audit:read', attempt);
    if (!authorization.ok) {
      return authorization.reason === 'forbidden'
        ? refusal(403, 'forbidden', 'Your role does not allow this.', requestId)
        : refusal(401, 'unauthenticated', 'Sign in to export the audit trail.', requestId);
    }
    const params = new URL(request.url).searchParams;
    const format = params.get('format') ?? 'csv';
    if (format !== 'csv' && format !== 'json') {
      return refusal(400, 'invalid_input', 'format must be csv or json.', requestId);
    }
    const scope = params.get('scope') ?? 'page';
    if (scope !== 'page' && scope !== 'chain') {
      return refusal(400, 'invalid_input', 'scope must be page or chain.', requestId);
    }
    const wholeChain = scope === 'chain';
    const user = authorization.user;
    if (wholeChain && !deps.tenantSlugs().every((slug) => can(roleIn(user.roles, slug), 'audit:read'))) {
      return refusal(
        403,
        'forbidden',
        'The whole chain holds every tenant’s events: exporting it needs audit access to every tenant.',
        requestId,
      );
    }
    const search: AuditSearch = parseAuditSearch(params);
    const filters = wholeChain ? {} : { ...storeFilters(search), tenant: tenantDomain };
    const source = deps.exportEvents({ filters, format, wholeChain })[Symbol.asyncIterator]();
    let first: IteratorResult<string>;
    try {
      first = await source.next();
    } catch (error) {
      deps.logError('audit export failed', { requestId, error: String(error) });
      return refusal(500, 'internal', `The export could not start. Reference: ${requestId}.`, requestId);
    }
    const body = first.done
      ? textStream(emptyIterator())
      : textStream(prepend(first.value, source), (error) => {
          deps.logError('audit export failed while streaming', { requestId, error: String(error) });
          return exportFailureMarker(format, requestId);
        });
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': CONTENT_TYPES[format],
        'content-disposition': `attachment; filename="${exportFileName(format, deps.now(), tenant, wholeChain)}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'x-request-id': requestId,
      },
    });
  };
}

async function* emptyIterator(): AsyncGenerator<string> {}
