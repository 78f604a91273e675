import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type AuditStore, openAuditStore } from '@/lib/audit';
import { auditBackends } from '@/lib/audit/test-backends';
import type { AlertTenant } from './alerts';
import { collectRotationAlerts, deliveriesFor, dispatchDue, type NotifySettings, targetsOf } from './notifier';

// A real HTTP receiver that verifies Standard Webhooks signatures with the `standardwebhooks` package, and a real SMTP
// server (`smtp-server`), both on ephemeral ports; the outbox in a real store.
const SECRET = `whsec_${Buffer.from('a-secret-for-the-webhook-tests!!').toString('base64')}`;
const TENANT: AlertTenant = { slug: 'prod', name: 'Production', environment: 'production', domain: 'acme.test' };
const tenantOf = (domain: string) => (domain === TENANT.domain ? TENANT : undefined);
const url = (tenant: AlertTenant, id: string) => `http://keyshift.test/${tenant.slug}/connections/${id}`;

interface Received {
  path: string;
  id: string | undefined;
  body: string;
  verified: boolean;
}

let receiver: Server;
let receiverUrl = '';
const received: Received[] = [];
/** Statuses the receiver answers with, in turn; then 200. */
let answers: number[] = [];

let smtp: SMTPServer;
let smtpPort = 0;
const mails: Array<{ to: string[]; raw: string }> = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let verified = false;
      try {
        new Webhook(SECRET).verify(body, req.headers as Record<string, string>);
        verified = true;
      } catch {
        verified = false;
      }
      received.push({ path: req.url ?? '', id: req.headers['webhook-id'] as string | undefined, body, verified });
      res.statusCode = answers.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => {
        raw += chunk.toString('utf8');
      });
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});
beforeEach(() => {
  received.length = 0;
  mails.length = 0;
  answers = [];
});

function settings(): NotifySettings {
  return {
    webhookUrls: [`${receiverUrl}/hooks/keyshift`],
    webhookSecret: SECRET,
    slackUrl: `${receiverUrl}/services/T0/B0/slack-secret`,
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    emailTo: ['oncall@example.com', 'security@example.com'],
    emailFrom: 'Keyshift <keyshift@example.com>',
  };
}

const channels = () => ({ webhookSecret: SECRET, smtpUrl: settings().smtpUrl, emailFrom: settings().emailFrom });

async function rotated(store: AuditStore, connectionId: string) {
  return store.append({
    type: 'rotation.succeeded',
    tenant: TENANT.domain,
    connectionId,
    connectionName: 'okta-acme',
    actorSub: 'auth0|alice',
    actorName: 'Alice Rotator',
    newKid: 'kid-new',
    message: 'Rotated.',
    requestId: `req-${connectionId}`,
  });
}

describe('rotation alerts through every channel', () => {
  test('history raises none; a rotation after it is sent once per channel, signed, and recorded as sent', async () => {
    const store = await openAuditStore({ memory: true });
    const targets = targetsOf(settings());
    await rotated(store, 'con_old');
    const now = () => new Date();
    expect(await collectRotationAlerts(store, targets, tenantOf, url, now())).toBe(0);
    await rotated(store, 'con_1');
    expect(await collectRotationAlerts(store, targets, tenantOf, url, now())).toBe(3);
    // Asked again (another instance, a restart): nothing new.
    expect(await collectRotationAlerts(store, targets, tenantOf, url, now())).toBe(0);

    expect(await dispatchDue(store, channels(), targets, now)).toEqual({ sent: 3, retried: 0, failed: 0 });
    const webhook = received.find((r) => r.path === '/hooks/keyshift');
    expect(webhook?.verified).toBe(true);
    expect(JSON.parse(webhook?.body ?? '{}')).toMatchObject({
      type: 'rotation.succeeded',
      data: { connection: { id: 'con_1', name: 'okta-acme' }, kid: 'kid-new', actor: 'Alice Rotator' },
    });
    const slack = received.find((r) => r.path.startsWith('/services/'));
    expect(JSON.parse(slack?.body ?? '{}').text).toContain('Keys rotated: okta-acme (Production, production)');
    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toEqual(['oncall@example.com', 'security@example.com']);
    expect(mails[0]?.raw).toContain('Subject: Keys rotated: okta-acme (Production, production)');
    expect(mails[0]?.raw).toContain('http://keyshift.test/prod/connections/con_1');

    const rows = await store.deliveries(TENANT.domain, 10);
    expect(rows.map((row) => [row.channel, row.status, row.attempts]).sort()).toEqual([
      ['email', 'sent', 1],
      ['slack', 'sent', 1],
      ['webhook', 'sent', 1],
    ]);
    // The Slack URL's secret path is never shown or stored.
    expect(JSON.stringify(rows)).not.toContain('slack-secret');
    await store.close();
  });

  test('a signature over another body does not verify at the receiver', async () => {
    const signer = new Webhook(SECRET);
    const timestamp = new Date();
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': signer.sign('msg_1', timestamp, '{"type":"key.due"}'),
    };
    expect(() => signer.verify('{"type":"key.due"}', headers)).not.toThrow();
    expect(() => signer.verify('{"type":"key.due","x":1}', headers)).toThrow();
  });

  test('a receiver failing twice gets the same webhook-id three times, with backoff, and the row ends sent', async () => {
    const store = await openAuditStore({ memory: true });
    const targets = targetsOf({ ...settings(), slackUrl: undefined, smtpUrl: undefined });
    await collectRotationAlerts(store, targets, tenantOf, url, new Date());
    await rotated(store, 'con_2');
    await collectRotationAlerts(store, targets, tenantOf, url, new Date());
    answers = [500, 503];
    let clock = Date.now();
    const now = () => new Date(clock);
    expect(await dispatchDue(store, channels(), targets, now)).toEqual({ sent: 0, retried: 1, failed: 0 });
    // Not due again before its backoff (30 s).
    clock += 29_000;
    expect(await dispatchDue(store, channels(), targets, now)).toEqual({ sent: 0, retried: 0, failed: 0 });
    clock += 1_000;
    expect(await dispatchDue(store, channels(), targets, now)).toEqual({ sent: 0, retried: 1, failed: 0 });
    clock += 60_000;
    expect(await dispatchDue(store, channels(), targets, now)).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(received.map((r) => r.id)).toHaveLength(3);
    expect(new Set(received.map((r) => r.id)).size).toBe(1);
    expect(received.every((r) => r.verified)).toBe(true);
    const [row] = await store.deliveries(TENANT.domain, 10);
    expect(row).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    await store.close();
  });

  test('a receiver that refuses for good (404) fails the delivery at once, with the reason kept', async () => {
    const store = await openAuditStore({ memory: true });
    const targets = targetsOf({ ...settings(), slackUrl: undefined, smtpUrl: undefined });
    await collectRotationAlerts(store, targets, tenantOf, url, new Date());
    await rotated(store, 'con_3');
    await collectRotationAlerts(store, targets, tenantOf, url, new Date());
    answers = [404];
    expect(await dispatchDue(store, channels(), targets, () => new Date())).toEqual({ sent: 0, retried: 0, failed: 1 });
    const [row] = await store.deliveries(TENANT.domain, 10);
    expect(row).toMatchObject({ status: 'failed', attempts: 1, lastError: 'The receiver answered HTTP 404.' });
    await store.close();
  });
});

describe.each(await auditBackends('lib/notify/notifier.test.ts'))('two dispatchers on %s', (_, backend) => {
  const it = backend.kind === 'postgres' && backend.available ? test : test.skip;
  it('send each of 30 deliveries exactly once between them', async () => {
    const scratch = await backend.fresh();
    const second = await scratch.secondStore();
    const targets = targetsOf({ ...settings(), slackUrl: undefined, smtpUrl: undefined });
    const now = () => new Date();
    for (let n = 0; n < 30; n++) {
      const [alert] = [
        {
          kind: 'key.due' as const,
          key: `key.due:${TENANT.domain}:con_${n}:kid-${n}:7`,
          tenant: TENANT,
          connection: { id: `con_${n}`, name: `okta-${n}` },
          kid: `kid-${n}`,
          thresholdDays: 7 as const,
          dueAt: new Date().toISOString(),
          actor: null,
          message: null,
          occurredAt: new Date().toISOString(),
          url: url(TENANT, `con_${n}`),
        },
      ];
      await scratch.store.enqueueDeliveries(deliveriesFor(alert, targets, new Date(0)));
    }
    const [a, b] = await Promise.all([
      dispatchDue(scratch.store, channels(), targets, now, 5),
      dispatchDue(second, channels(), targets, now, 5),
    ]);
    expect(a.sent + b.sent).toBe(30);
    expect(received).toHaveLength(30);
    expect(new Set(received.map((r) => r.id)).size).toBe(30);
    await second.close();
    await scratch.close();
  });
});
