import 'server-only';
import nodemailer from 'nodemailer';
import { Webhook } from 'standardwebhooks';
import type { DeliveryRow } from '@/lib/audit';
import { classifyStatus } from './alerts';

/** How one attempt ended: sent, worth another try later, or refused for good (the reason kept for rotators). */
export type SendResult = { outcome: 'sent' } | { outcome: 'retry' | 'final'; error: string };

export interface ChannelSettings {
  webhookSecret: string | undefined;
  smtpUrl: string | undefined;
  emailFrom: string;
  /** Each channel target's real address (with its secrets), by delivery target key; never stored in the outbox. */
  destination(delivery: DeliveryRow): string | undefined;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

async function post(
  settings: ChannelSettings,
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<SendResult> {
  try {
    const response = await (settings.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Keyshift-Alerts', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(settings.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    await response.body?.cancel().catch(() => {});
    const outcome = classifyStatus(response.status);
    return outcome === 'sent' ? { outcome } : { outcome, error: `The receiver answered HTTP ${response.status}.` };
  } catch (error) {
    const name = (error as { name?: string }).name;
    return {
      outcome: 'retry',
      error: name === 'TimeoutError' ? 'The receiver did not answer in time.' : 'The receiver could not be reached.',
    };
  }
}

/** Sends one delivery once. The webhook's `webhook-id` is the delivery's id, the same on every retry. */
export async function sendDelivery(delivery: DeliveryRow, settings: ChannelSettings, now: Date): Promise<SendResult> {
  const destination = settings.destination(delivery);
  if (!destination) return { outcome: 'final', error: 'This channel is no longer configured.' };
  const body = JSON.stringify(delivery.payload);
  if (delivery.channel === 'webhook') {
    if (!settings.webhookSecret) return { outcome: 'final', error: 'NOTIFY_WEBHOOK_SECRET is not set.' };
    const signature = new Webhook(settings.webhookSecret).sign(delivery.id, now, body);
    return post(settings, destination, body, {
      'webhook-id': delivery.id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
    });
  }
  if (delivery.channel === 'slack') return post(settings, destination, body, {});
  if (!settings.smtpUrl) return { outcome: 'final', error: 'SMTP_URL is not set.' };
  try {
    const transport = nodemailer.createTransport(settings.smtpUrl, {
      connectionTimeout: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      greetingTimeout: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      socketTimeout: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
    const { subject, text } = delivery.payload as { subject: string; text: string };
    await transport.sendMail({
      from: settings.emailFrom,
      to: destination,
      subject,
      text,
      headers: { 'X-Keyshift-Alert-Id': delivery.id },
    });
    transport.close();
    return { outcome: 'sent' };
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode;
    // A 5xx SMTP reply is a refusal for good (bad recipient, relay denied); anything else may pass next time.
    if (code !== undefined && code >= 500) return { outcome: 'final', error: `The mail server refused it (${code}).` };
    return { outcome: 'retry', error: 'The mail server could not take it now.' };
  }
}
