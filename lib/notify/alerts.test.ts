import { describe, expect, it } from 'vitest';
import { DAY_MS } from '@/lib/fleet/policy';
import {
  alertText,
  alertTitle,
  backoffMs,
  classifyStatus,
  displayTarget,
  dueAlerts,
  slackBody,
  thresholdFor,
  webhookBody,
} from './alerts';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const TENANT = { slug: 'prod', name: 'Production', environment: 'production', domain: 'acme.eu.auth0.com' };
const url = (id: string) => `https://keyshift.example.com/prod/connections/${id}`;

describe('thresholdFor: the most urgent threshold crossed', () => {
  it.each([
    [61, null],
    [60, 60],
    [45, 60],
    [30, 30],
    [8, 30],
    [7, 7],
    [3, 7],
    [0.01, 7],
    [0, 0],
    [-20, 0],
  ])('%s days left → %s', (days, threshold) => {
    expect(thresholdFor(days * DAY_MS)).toBe(threshold);
  });
});

describe('dueAlerts', () => {
  const row = (id: string, dueDays: number | null, certDays: number | null, kid: string | null = `kid-${id}`) => ({
    connectionId: id,
    name: `okta-${id}`,
    currentKid: kid,
    dueAt: dueDays === null ? null : NOW + dueDays * DAY_MS,
    certNotAfter: certDays === null ? null : NOW + certDays * DAY_MS,
  });

  it('owes one alert per fact at its most urgent threshold, keyed by kid and threshold', () => {
    const alerts = dueAlerts(
      [row('a', 3, 200), row('b', 100, 25), row('c', -2, -1), row('d', 500, 500)],
      TENANT,
      NOW,
      url,
    );
    expect(alerts.map((alert) => [alert.kind, alert.connection?.id, alert.thresholdDays, alert.key])).toEqual([
      ['key.due', 'a', 7, 'key.due:acme.eu.auth0.com:a:kid-a:7'],
      ['certificate.expiring', 'b', 30, 'certificate.expiring:acme.eu.auth0.com:b:kid-b:30'],
      ['key.due', 'c', 0, 'key.due:acme.eu.auth0.com:c:kid-c:0'],
      ['certificate.expiring', 'c', 0, 'certificate.expiring:acme.eu.auth0.com:c:kid-c:0'],
    ]);
    expect(alerts[0]).toMatchObject({ dueAt: new Date(NOW + 3 * DAY_MS).toISOString(), url: url('a') });
  });

  it('owes nothing for a connection without a current key or dates', () => {
    expect(dueAlerts([row('a', 3, 3, null), row('b', null, null)], TENANT, NOW, url)).toEqual([]);
  });
});

describe('how an alert reads', () => {
  const [due] = dueAlerts(
    [{ connectionId: 'con_1', name: 'okta-acme', currentKid: 'kid-1', dueAt: NOW + 5 * DAY_MS, certNotAfter: null }],
    TENANT,
    NOW,
    url,
  );
  if (!due) throw new Error('no alert');

  it('names the connection, the tenant and production in its title; the key and day in its text', () => {
    expect(alertTitle(due)).toBe('Key rotation due in 7 days: okta-acme (Production, production)');
    expect(alertText(due)).toBe(
      [
        'Key rotation due in 7 days: okta-acme (Production, production)',
        'Key kid-1 is due for rotation on 2026-12-08.',
        'Tenant acme.eu.auth0.com, connection con_1.',
        url('con_1'),
      ].join('\n'),
    );
  });

  it('is a Standard Webhooks body {type, timestamp, data} and a Slack body {text, blocks}', () => {
    expect(webhookBody(due)).toMatchObject({
      type: 'key.due',
      timestamp: new Date(NOW).toISOString(),
      data: { tenant: TENANT, connection: { id: 'con_1', name: 'okta-acme' }, kid: 'kid-1', threshold_days: 7 },
    });
    const slack = slackBody(due) as { text: string; blocks: Array<{ text: { text: string } }> };
    expect(slack.text).toContain('okta-acme');
    expect(slack.blocks[0]?.text.text).toBe('*Key rotation due in 7 days: okta-acme (Production, production)*');
  });
});

it.each([
  [1, 30_000],
  [2, 60_000],
  [3, 120_000],
  [8, 3_600_000],
  [20, 3_600_000],
])('backoff after attempt %i: %i ms', (attempts, ms) => {
  expect(backoffMs(attempts)).toBe(ms);
});

it.each([
  [200, 'sent'],
  [204, 'sent'],
  [408, 'retry'],
  [429, 'retry'],
  [500, 'retry'],
  [503, 'retry'],
  [301, 'final'],
  [400, 'final'],
  [401, 'final'],
  [404, 'final'],
])('HTTP %i → %s', (status, outcome) => {
  expect(classifyStatus(status)).toBe(outcome);
});

it('shows a destination by its origin only, never a path that may be its secret', () => {
  expect(displayTarget('https://hooks.slack.com/services/T000/B000/XXXXSECRET')).toBe('https://hooks.slack.com/…');
  expect(displayTarget('https://user:pass@alerts.example.com/?token=abc')).toBe('https://alerts.example.com');
  expect(displayTarget('not a url')).toBe('an invalid URL');
});
