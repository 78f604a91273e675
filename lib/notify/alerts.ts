/**
 * What Keyshift alerts about, and how each alert reads on each channel. Pure: lib/notify/notifier.ts finds the alerts
 * owed (the trail's rotations, the fleet's due dates) and the dispatcher sends them.
 */
import { DAY_MS } from '@/lib/fleet/policy';

/** Days before a due date or a certificate's expiry an alert goes out; 0: on the day it passes. */
export const THRESHOLDS = [60, 30, 7, 0] as const;
export type Threshold = (typeof THRESHOLDS)[number];

export const ALERT_KINDS = [
  'rotation.succeeded',
  'rotation.failed',
  'rotation.unknown',
  'rotation.external',
  'key.due',
  'certificate.expiring',
  'schedule.upcoming',
  'schedule.closed',
  'schedule.not_ready',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface AlertTenant {
  slug: string;
  name: string;
  environment: string;
  domain: string;
}

export interface Alert {
  kind: AlertKind;
  /** What makes it one alert: an audit event's id, or the kid and threshold of a due date. */
  key: string;
  tenant: AlertTenant;
  /** Null for a notice about the tenant's schedule as a whole. */
  connection: { id: string; name: string } | null;
  kid: string | null;
  /** For key.due and certificate.expiring: the threshold crossed and the date it is about (ISO). */
  thresholdDays: Threshold | null;
  dueAt: string | null;
  /** For rotations: who, the outcome's sentence, when (ISO). */
  actor: string | null;
  message: string | null;
  occurredAt: string;
  /** The connection's page in Keyshift. */
  url: string;
}

/** The threshold an alert is owed for `left` ms before a date: the smallest one crossed, or none 60+ days ahead. */
export function thresholdFor(leftMs: number): Threshold | null {
  let crossed: Threshold | null = null;
  for (const days of THRESHOLDS) if (leftMs <= days * DAY_MS) crossed = days;
  return crossed;
}

/** One connection's facts as the fleet has them, for the due warnings. */
export interface DueFacts {
  connectionId: string;
  name: string;
  currentKid: string | null;
  dueAt: number | null;
  certNotAfter: number | null;
}

/**
 * The due warnings owed now for these connections: for the current key's due date (`key.due`) and its certificate's
 * notAfter (`certificate.expiring`), the most urgent threshold crossed. A key first seen three days before its due date
 * gets the 7-day warning only; the 60- and 30-day ones were never owed to it. Each is keyed by kid and threshold, so
 * it is sent once whoever finds it owed, and a rotated key starts afresh.
 */
export function dueAlerts(
  rows: readonly DueFacts[],
  tenant: AlertTenant,
  now: number,
  url: (connectionId: string) => string,
): Alert[] {
  const alerts: Alert[] = [];
  for (const row of rows) {
    if (!row.currentKid) continue;
    const facts: Array<[AlertKind, number | null]> = [
      ['key.due', row.dueAt],
      ['certificate.expiring', row.certNotAfter],
    ];
    for (const [kind, at] of facts) {
      if (at === null) continue;
      const threshold = thresholdFor(at - now);
      if (threshold === null) continue;
      alerts.push({
        kind,
        key: `${kind}:${tenant.domain}:${row.connectionId}:${row.currentKid}:${threshold}`,
        tenant,
        connection: { id: row.connectionId, name: row.name },
        kid: row.currentKid,
        thresholdDays: threshold,
        dueAt: new Date(at).toISOString(),
        actor: null,
        message: null,
        occurredAt: new Date(now).toISOString(),
        url: url(row.connectionId),
      });
    }
  }
  return alerts;
}

const dayOf = (iso: string | null) => (iso ? iso.slice(0, 10) : 'an unknown day');

/** One line that says it all: the email's subject, the Slack message's first line. */
export function alertTitle(alert: Alert): string {
  const tenant = `${alert.tenant.name}${alert.tenant.environment === 'production' ? ', production' : ''}`;
  const where = alert.connection ? `${alert.connection.name} (${tenant})` : tenant;
  switch (alert.kind) {
    case 'rotation.succeeded':
      return `Keys rotated: ${where}`;
    case 'rotation.failed':
      return `Rotation failed: ${where}`;
    case 'rotation.unknown':
      return `Rotation outcome unknown: ${where}`;
    case 'rotation.external':
      return `Keys rotated outside Keyshift: ${where}`;
    case 'key.due':
      return alert.thresholdDays === 0
        ? `Key rotation overdue: ${where}`
        : `Key rotation due in ${alert.thresholdDays} days: ${where}`;
    case 'certificate.expiring':
      return alert.thresholdDays === 0
        ? `Signing certificate expired: ${where}`
        : `Signing certificate expires in ${alert.thresholdDays} days: ${where}`;
    case 'schedule.upcoming':
      return `Scheduled rotation on ${dayOf(alert.dueAt)}: ${where}`;
    case 'schedule.closed':
      return `Scheduled rotation done: ${where}`;
    case 'schedule.not_ready':
      return `Due but not rotated by the schedule (IdP not ready): ${where}`;
  }
}

/** The alert in a few plain lines (the email's body, the Slack message). */
export function alertText(alert: Alert): string {
  const lines = [alertTitle(alert)];
  if (alert.kind === 'key.due') lines.push(`Key ${alert.kid} is due for rotation on ${dayOf(alert.dueAt)}.`);
  if (alert.kind === 'certificate.expiring') {
    lines.push(`The certificate of key ${alert.kid} is valid until ${dayOf(alert.dueAt)}.`);
  }
  if (alert.message) lines.push(alert.message);
  if (alert.actor) lines.push(`By ${alert.actor}.`);
  lines.push(
    alert.connection
      ? `Tenant ${alert.tenant.domain}, connection ${alert.connection.id}.`
      : `Tenant ${alert.tenant.domain}.`,
    alert.url,
  );
  return lines.join('\n');
}

/** The Standard Webhooks body: `{ type, timestamp, data }`. */
export function webhookBody(alert: Alert): Record<string, unknown> {
  return {
    type: alert.kind,
    timestamp: alert.occurredAt,
    data: {
      tenant: alert.tenant,
      connection: alert.connection,
      kid: alert.kid,
      threshold_days: alert.thresholdDays,
      at: alert.dueAt,
      actor: alert.actor,
      message: alert.message,
      summary: alertTitle(alert),
      url: alert.url,
    },
  };
}

/** A body Slack's incoming webhooks (and look-alikes: Mattermost, Rocket.Chat) accept. */
export function slackBody(alert: Alert): Record<string, unknown> {
  const text = alertText(alert);
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${alertTitle(alert)}*` } },
      { type: 'section', text: { type: 'mrkdwn', text: text.split('\n').slice(1).join('\n') } },
    ],
  };
}

/** The wait before attempt `attempts + 1`: 30 s, doubling, at most an hour. */
export function backoffMs(attempts: number): number {
  return Math.min(3600_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

/** Attempts before a delivery is given up as failed (about four hours of backoff). */
export const MAX_ATTEMPTS = 8;

/** Whether a receiver's HTTP status is success, worth another try, or final. */
export function classifyStatus(status: number): 'sent' | 'retry' | 'final' {
  if (status >= 200 && status < 300) return 'sent';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  return 'final';
}

/** A destination as rotators see it: an URL's origin only (a Slack URL's path is its secret), or the addresses. */
export function displayTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname === '/' ? '' : '/…'}`;
  } catch {
    return 'an invalid URL';
  }
}
