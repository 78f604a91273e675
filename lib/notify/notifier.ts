import 'server-only';
import { createHash, randomUUID } from 'node:crypto';
import type { AuditEvent, AuditStore, DeliveryRow, NewDelivery } from '@/lib/audit';
import {
  type Alert,
  type AlertKind,
  type AlertTenant,
  alertText,
  alertTitle,
  backoffMs,
  displayTarget,
  MAX_ATTEMPTS,
  slackBody,
  webhookBody,
} from './alerts';
import { type ChannelSettings, type SendResult, sendDelivery } from './channels';

/** The channels as configured (lib/config.ts `notify`). */
export interface NotifySettings {
  webhookUrls: readonly string[];
  webhookSecret: string | undefined;
  slackUrl: string | undefined;
  smtpUrl: string | undefined;
  emailTo: readonly string[];
  emailFrom: string;
}

export interface Target {
  channel: DeliveryRow['channel'];
  /** As rotators see it. */
  display: string;
  /** SHA-256 of the destination: what the outbox keeps instead of it. */
  key: string;
  destination: string;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** Every configured destination: each webhook URL, the Slack URL, the email list. */
export function targetsOf(settings: NotifySettings): Target[] {
  const targets: Target[] = settings.webhookUrls.map((url) => ({
    channel: 'webhook',
    display: displayTarget(url),
    key: sha256(`webhook ${url}`),
    destination: url,
  }));
  if (settings.slackUrl) {
    targets.push({
      channel: 'slack',
      display: displayTarget(settings.slackUrl),
      key: sha256(`slack ${settings.slackUrl}`),
      destination: settings.slackUrl,
    });
  }
  if (settings.smtpUrl && settings.emailTo.length > 0) {
    const to = settings.emailTo.join(', ');
    targets.push({ channel: 'email', display: to, key: sha256(`email ${to}`), destination: to });
  }
  return targets;
}

/** One outbox row per target; the dedupe key makes it one per alert and target, whoever enqueues it. */
export function deliveriesFor(alert: Alert, targets: readonly Target[], now: Date): NewDelivery[] {
  return targets.map((target) => ({
    id: `msg_${randomUUID().replaceAll('-', '')}`,
    dedupeKey: `${alert.key}|${target.channel}|${target.key}`,
    tenant: alert.tenant.domain,
    kind: alert.kind,
    connectionId: alert.connection?.id ?? null,
    connectionName: alert.connection?.name ?? null,
    channel: target.channel,
    target: target.display,
    targetKey: target.key,
    subject: alertTitle(alert),
    payload:
      target.channel === 'webhook'
        ? webhookBody(alert)
        : target.channel === 'slack'
          ? slackBody(alert)
          : { subject: alertTitle(alert), text: alertText(alert) },
    nextAttemptAt: now,
  }));
}

export const ROTATION_CURSOR = 'notify:rotations';
const ROTATION_KINDS = ['rotation.succeeded', 'rotation.failed', 'rotation.unknown', 'rotation.external'] as const;
const BATCH = 200;

/** An outcome or external rotation in the trail, as an alert; null for a tenant no longer served. */
export function rotationAlert(
  event: AuditEvent,
  tenantOf: (domain: string) => AlertTenant | undefined,
  url: (tenant: AlertTenant, connectionId: string) => string,
): Alert | null {
  const tenant = event.tenant ? tenantOf(event.tenant) : undefined;
  if (!tenant || !event.connectionId) return null;
  return {
    kind: event.type as AlertKind,
    key: `event:${event.id}`,
    tenant,
    connection: { id: event.connectionId, name: event.connectionName ?? event.connectionId },
    kid: event.newKid,
    thresholdDays: null,
    dueAt: null,
    actor: event.actorName ?? event.actorEmail ?? (event.type === 'rotation.external' ? null : event.actorSub),
    message: event.message,
    occurredAt: event.occurredAt.toISOString(),
    url: url(tenant, event.connectionId),
  };
}

type NotifyStore = Pick<
  AuditStore,
  'enqueueDeliveries' | 'claimDeliveries' | 'recordDelivery' | 'trailCursor' | 'advanceTrailCursor' | 'eventsAfter'
>;

/**
 * Enqueues an alert for every rotation outcome and external rotation recorded since the last call (any instance's),
 * from where the trail's cursor stands: history before the first call raises none.
 */
export async function collectRotationAlerts(
  store: NotifyStore,
  targets: readonly Target[],
  tenantOf: (domain: string) => AlertTenant | undefined,
  url: (tenant: AlertTenant, connectionId: string) => string,
  now: Date,
): Promise<number> {
  let cursor = await store.trailCursor(ROTATION_CURSOR);
  let enqueued = 0;
  for (;;) {
    const events = await store.eventsAfter(ROTATION_KINDS, cursor, BATCH);
    if (events.length === 0) return enqueued;
    for (const event of events) {
      const alert = rotationAlert(event, tenantOf, url);
      if (alert) enqueued += await store.enqueueDeliveries(deliveriesFor(alert, targets, now));
    }
    cursor = events.at(-1)?.id ?? cursor;
    await store.advanceTrailCursor(ROTATION_CURSOR, cursor);
  }
}

export interface DispatchReport {
  sent: number;
  retried: number;
  failed: number;
}

/** How long a claimed delivery is this sender's before another may try it (longer than any one send takes). */
export const LEASE_MS = 120_000;

/** Sends every delivery due now, each recorded as sent, retried later with backoff, or failed for good. */
export async function dispatchDue(
  store: NotifyStore,
  channels: Omit<ChannelSettings, 'destination'>,
  targets: readonly Target[],
  now: () => Date,
  limit = 20,
): Promise<DispatchReport> {
  const report: DispatchReport = { sent: 0, retried: 0, failed: 0 };
  const byKey = new Map(targets.map((target) => [target.key, target.destination]));
  const settings: ChannelSettings = { ...channels, destination: (delivery) => byKey.get(delivery.targetKey) };
  for (;;) {
    const claimed = await store.claimDeliveries(now(), LEASE_MS, limit);
    if (claimed.length === 0) return report;
    await Promise.all(
      claimed.map(async (delivery) => {
        const result: SendResult = await sendDelivery(delivery, settings, now());
        if (result.outcome === 'sent') {
          report.sent += 1;
          await store.recordDelivery(delivery.id, { status: 'sent', at: now() });
        } else if (result.outcome === 'retry' && delivery.attempts < MAX_ATTEMPTS) {
          report.retried += 1;
          await store.recordDelivery(delivery.id, {
            status: 'pending',
            error: result.error,
            nextAttemptAt: new Date(now().getTime() + backoffMs(delivery.attempts)),
          });
        } else {
          report.failed += 1;
          await store.recordDelivery(delivery.id, { status: 'failed', error: result.error });
        }
      }),
    );
  }
}
