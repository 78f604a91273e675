import type { ScheduleRow } from '@/lib/audit';
import type { Alert, AlertTenant } from '@/lib/notify/alerts';
import { closedWindow, nextWindow, type Window, windowAt } from './schedule';

/**
 * Scheduled rotation, one tick (every minute on every instance). For each tenant whose schedule is on:
 *   - inside a maintenance window: the first instance to claim the window (a row per tenant and window) starts a
 *     campaign of the due connections that are ready; the due ones that are not ready are never rotated by it, they
 *     are alerted instead;
 *   - once the window has closed: a campaign of it still running is cancelled (nothing is rotated outside the window;
 *     a rotation under way finishes), and a notice says how it went;
 *   - within a day before the next window: a notice says what it will do.
 * Notices go through the alert channels' outbox, whose dedupe keys make each one once per window.
 */

export interface DueConnection {
  id: string;
  name: string;
  reason: string;
}

export interface SchedulerDependencies {
  schedules(): Promise<ScheduleRow[]>;
  /** The tenant a schedule row names (by domain), if this Keyshift still serves it. */
  tenantOf(domain: string): (AlertTenant & { slug: string }) | undefined;
  claimRun(domain: string, windowStart: Date): Promise<boolean>;
  recordRun(domain: string, windowStart: Date, campaignId: string): Promise<void>;
  run(domain: string, windowStart: Date): Promise<{ campaignId: string | null } | null>;
  /** Plans "due, ready only" in the tenant and starts it; null campaign when nothing is ready to rotate. */
  startDue(slug: string): Promise<{ campaignId: string | null; rotating: number; notReady: DueConnection[] }>;
  /** What the next window would do, for the notice before it. */
  preview(slug: string): Promise<{ due: number; ready: number }>;
  campaign(campaignId: string): Promise<{ state: string; counts: Record<string, number> } | null>;
  cancel(slug: string, campaignId: string): Promise<void>;
  notify(alerts: Alert[]): Promise<void>;
  /** The tenant's campaigns page (and a campaign's), for the notices' links. */
  url(slug: string, campaignId?: string): string;
  now(): Date;
}

export interface SchedulerReport {
  fired: string[];
  cancelled: string[];
  notices: number;
}

const DAY_MS = 86_400_000;

const spec = (row: ScheduleRow) => ({ cron: row.cron, timeZone: row.timeZone, windowMinutes: row.windowMinutes });

function describeWindow(window: Window, timeZone: string): string {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
  return `${format.format(window.start)} – ${format.format(window.end)} (${timeZone})`;
}

function notice(
  kind: Alert['kind'],
  key: string,
  tenant: AlertTenant,
  at: Date,
  message: string,
  url: string,
  now: Date,
  connection: Alert['connection'] = null,
): Alert {
  return {
    kind,
    key,
    tenant,
    connection,
    kid: null,
    thresholdDays: null,
    dueAt: at.toISOString(),
    actor: 'Keyshift schedule',
    message,
    occurredAt: now.toISOString(),
    url,
  };
}

export async function scheduleTick(deps: SchedulerDependencies): Promise<SchedulerReport> {
  const report: SchedulerReport = { fired: [], cancelled: [], notices: 0 };
  const now = deps.now();
  for (const row of await deps.schedules()) {
    if (!row.enabled) continue;
    const tenant = deps.tenantOf(row.tenant);
    if (!tenant) continue;
    const alerts: Alert[] = [];
    const open = windowAt(spec(row), now);
    if (open && (await deps.claimRun(row.tenant, open.start))) {
      const started = await deps.startDue(tenant.slug);
      if (started.campaignId) {
        await deps.recordRun(row.tenant, open.start, started.campaignId);
        report.fired.push(tenant.slug);
      }
      for (const connection of started.notReady) {
        alerts.push(
          notice(
            'schedule.not_ready',
            `schedule.not_ready:${row.tenant}:${open.start.toISOString()}:${connection.id}`,
            tenant,
            open.start,
            `It is due, but its IdP is not known to trust the next key (${connection.reason}), so the schedule did not rotate it. Hand the next key over, then rotate it or wait for the next window.`,
            deps.url(tenant.slug),
            now,
            { id: connection.id, name: connection.name },
          ),
        );
      }
    }
    const closed = closedWindow(spec(row), now, DAY_MS);
    if (closed) {
      const run = await deps.run(row.tenant, closed.start);
      if (run) {
        const campaign = run.campaignId ? await deps.campaign(run.campaignId) : null;
        if (run.campaignId && campaign && (campaign.state === 'running' || campaign.state === 'paused')) {
          await deps.cancel(tenant.slug, run.campaignId);
          report.cancelled.push(tenant.slug);
        }
        const after = run.campaignId ? await deps.campaign(run.campaignId) : null;
        const counts = after?.counts ?? {};
        const message = run.campaignId
          ? `The window ${describeWindow(closed, row.timeZone)} closed: ${counts.succeeded ?? 0} rotated, ${(counts.failed ?? 0) + (counts.unknown ?? 0)} failed, ${counts.skipped ?? 0} skipped, ${counts.cancelled ?? 0} left for the next window.`
          : `The window ${describeWindow(closed, row.timeZone)} closed: no due connection was ready, nothing was rotated.`;
        alerts.push(
          notice(
            'schedule.closed',
            `schedule.closed:${row.tenant}:${closed.start.toISOString()}`,
            tenant,
            closed.end,
            message,
            deps.url(tenant.slug, run.campaignId ?? undefined),
            now,
          ),
        );
      }
    }
    const upcoming = nextWindow(spec(row), now);
    if (upcoming.start.getTime() - now.getTime() <= DAY_MS) {
      const { due, ready } = await deps.preview(tenant.slug);
      alerts.push(
        notice(
          'schedule.upcoming',
          `schedule.upcoming:${row.tenant}:${upcoming.start.toISOString()}`,
          tenant,
          upcoming.start,
          `In the window ${describeWindow(upcoming, row.timeZone)} Keyshift will rotate the due connections that are ready: ${ready} of ${due} due now. The others are alerted, not rotated.`,
          deps.url(tenant.slug),
          now,
        ),
      );
    }
    if (alerts.length > 0) {
      await deps.notify(alerts);
      report.notices += alerts.length;
    }
  }
  return report;
}
