import { describe, expect, test } from 'vitest';
import { PRODUCTION_ENV } from '@/lib/testing/production-env';
import { auditStoreOptions } from './audit/store';
import { buildConfig, ConfigError, databaseConfig } from './config';

const production = { ...PRODUCTION_ENV, NEXTAUTH_SECRET: 'x'.repeat(32) };

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    buildConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('buildConfig', () => {
  test('demo mode needs nothing and points at the emulator', () => {
    const config = buildConfig({ KEYSHIFT_DEMO: '1' });
    expect(config.auth0).toMatchObject({
      domain: 'demo-tenant.local',
      apiOrigin: 'http://127.0.0.1:4010',
      clientId: 'demo-m2m',
    });
    expect(config.auth.issuer).toBe('http://127.0.0.1:4010');
  });

  test('a complete production environment is accepted and talks to the real tenant', () => {
    const config = buildConfig(production);
    expect(config.demo).toBe(false);
    expect(config.auth0.apiOrigin).toBeUndefined();
    expect(config.auth.rolesClaim).toBe('https://keyshift.dev/roles');
  });

  test('an empty production environment names every missing variable at once', () => {
    const problems = problemsOf({}).join('\n');
    for (const name of Object.keys(production)) expect(problems).toContain(name);
  });

  test.each([
    ['NEXTAUTH_SECRET', { NEXTAUTH_SECRET: undefined }, 'NEXTAUTH_SECRET is not set'],
    ['a short secret', { NEXTAUTH_SECRET: 'short' }, 'NEXTAUTH_SECRET is too short'],
    ['a non-URL issuer', { AUTH_ISSUER: 'login.acme.com' }, 'AUTH_ISSUER'],
    ['a non-postgres DATABASE_URL', { DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [
      'a non-postgres DATABASE_MIGRATION_URL',
      { DATABASE_URL: 'postgres://app@db/keyshift', DATABASE_MIGRATION_URL: 'mysql://x' },
      'DATABASE_MIGRATION_URL: must start with postgres://',
    ],
    [
      'DATABASE_MIGRATION_URL without DATABASE_URL',
      { DATABASE_MIGRATION_URL: 'postgres://owner@db/keyshift' },
      'DATABASE_MIGRATION_URL is set but DATABASE_URL is not',
    ],
    ['no client credentials', { AUTH0_CLIENT_SECRET: undefined }, 'AUTH0_CLIENT_SECRET is not set'],
    ['a timeout of zero', { AUTH0_TIMEOUT_SECONDS: '0' }, 'AUTH0_TIMEOUT_SECONDS'],
    ['a fractional timeout', { AUTH0_TIMEOUT_SECONDS: '2.5' }, 'AUTH0_TIMEOUT_SECONDS'],
    ['a timeout that is not a number', { AUTH0_TIMEOUT_SECONDS: 'soon' }, 'AUTH0_TIMEOUT_SECONDS'],
    ['a read rate limit without a rate', { KEYSHIFT_READ_RATE_LIMIT: '60' }, 'KEYSHIFT_READ_RATE_LIMIT'],
    ['a read rate limit with no burst', { KEYSHIFT_READ_RATE_LIMIT: '0:5' }, 'KEYSHIFT_READ_RATE_LIMIT'],
    ['a read rate limit refilling nothing', { KEYSHIFT_READ_RATE_LIMIT: '60:0' }, 'KEYSHIFT_READ_RATE_LIMIT'],
    ['a settle interval under 5 s', { KEYSHIFT_SETTLE_INTERVAL_SECONDS: '1' }, 'KEYSHIFT_SETTLE_INTERVAL_SECONDS'],
    [
      'a settle interval that is not a number',
      { KEYSHIFT_SETTLE_INTERVAL_SECONDS: 'often' },
      'KEYSHIFT_SETTLE_INTERVAL_SECONDS',
    ],
    ['a watch of zero minutes', { KEYSHIFT_WATCH_MINUTES: '0' }, 'KEYSHIFT_WATCH_MINUTES'],
    ['a watch of part of a minute', { KEYSHIFT_WATCH_MINUTES: '2.5' }, 'KEYSHIFT_WATCH_MINUTES'],
    ['a watch longer than a day', { KEYSHIFT_WATCH_MINUTES: '1441' }, 'KEYSHIFT_WATCH_MINUTES'],
  ])('refuses %s', (_label, override, expected) => {
    expect(problemsOf({ ...production, ...override }).join('\n')).toContain(expected);
  });

  const DEMO_SECRET = 'keyshift-demo-secret-not-for-production-use';
  const local = { KEYSHIFT_DEMO: '1' };

  test.each([
    ['the defaults (localhost, the emulator on loopback)', {}],
    ['NEXTAUTH_URL on 127.0.0.1', { NEXTAUTH_URL: 'http://127.0.0.1:3100' }],
    ['NEXTAUTH_URL on [::1]', { NEXTAUTH_URL: 'http://[::1]:3000' }],
    ['the emulator on localhost', { AUTH0_API_ORIGIN: 'http://localhost:4110' }],
    [
      'the emulator on [::1], its tenant named',
      { AUTH0_DOMAIN: 'demo-tenant.local', AUTH0_API_ORIGIN: 'http://[::1]:4010' },
    ],
  ])('the demo secret signs sessions in demo mode with %s', (_label, override) => {
    expect(buildConfig({ ...local, ...override }).nextAuth.secret).toBe(DEMO_SECRET);
  });

  test.each([
    ['an https NEXTAUTH_URL', { NEXTAUTH_URL: 'https://keyshift.acme.com' }],
    ['NEXTAUTH_URL on a private address', { NEXTAUTH_URL: 'http://10.0.0.5:3000' }],
    ['NEXTAUTH_URL on all interfaces', { NEXTAUTH_URL: 'http://0.0.0.0:3000' }],
    ['NEXTAUTH_URL on a host that starts with localhost', { NEXTAUTH_URL: 'http://localhost.evil.example:3000' }],
    ['NEXTAUTH_URL on a host that starts with 127.0.0.1', { NEXTAUTH_URL: 'http://127.0.0.1.nip.io:3000' }],
    ['a real tenant', { AUTH0_DOMAIN: 'acme.eu.auth0.com' }],
    [
      'a real tenant behind a loopback origin',
      { AUTH0_DOMAIN: 'acme.eu.auth0.com', AUTH0_API_ORIGIN: 'http://127.0.0.1:4010' },
    ],
    ['the demo tenant at a remote origin', { AUTH0_API_ORIGIN: 'https://emulator.acme.com' }],
    ['the demo tenant named, no origin (its real domain)', { AUTH0_DOMAIN: 'demo-tenant.local' }],
    ['production', { ...production, KEYSHIFT_DEMO: undefined, NEXTAUTH_SECRET: undefined }],
  ])('without NEXTAUTH_SECRET, %s stops the start, naming the variable', (_label, override) => {
    const problems = problemsOf({ ...local, ...override });
    expect(problems).toEqual([expect.stringMatching(/^NEXTAUTH_SECRET is not set \(.*demo secret/)]);
  });

  test.each([
    ['in demo mode on localhost', local],
    ['in demo mode on a public URL', { ...local, NEXTAUTH_URL: 'https://keyshift.acme.com' }],
    ['in production', production],
  ])('a NEXTAUTH_SECRET shorter than 32 characters is refused %s', (_label, env) => {
    expect(problemsOf({ ...env, NEXTAUTH_SECRET: 'x'.repeat(31) })).toEqual([
      'NEXTAUTH_SECRET is too short (use at least 32 characters)',
    ]);
  });

  test('a NEXTAUTH_SECRET of 32 characters replaces the demo secret anywhere', () => {
    const env = { ...local, NEXTAUTH_URL: 'https://keyshift.acme.com', NEXTAUTH_SECRET: 'y'.repeat(32) };
    expect(buildConfig(env).nextAuth.secret).toBe('y'.repeat(32));
  });

  test('migrations may run as another role: DATABASE_MIGRATION_URL beside DATABASE_URL', () => {
    const env = {
      ...production,
      DATABASE_URL: 'postgres://app@db/keyshift',
      DATABASE_MIGRATION_URL: ' postgres://owner@db/keyshift ',
    };
    expect(buildConfig(env)).toMatchObject({
      databaseUrl: 'postgres://app@db/keyshift',
      migrationUrl: 'postgres://owner@db/keyshift',
    });
    expect(buildConfig(production).migrationUrl).toBeUndefined();
    expect(databaseConfig(env).migrationUrl).toBe('postgres://owner@db/keyshift');
    expect(auditStoreOptions(databaseConfig(env))).toEqual({
      databaseUrl: 'postgres://app@db/keyshift',
      migrationUrl: 'postgres://owner@db/keyshift',
    });
  });

  test('a static management token replaces client credentials', () => {
    const config = buildConfig({
      ...production,
      AUTH0_CLIENT_ID: undefined,
      AUTH0_CLIENT_SECRET: undefined,
      AUTH0_MANAGEMENT_TOKEN: 'tok',
    });
    expect(config.auth0.managementToken).toBe('tok');
  });

  test('role allow-lists are lower-cased lists', () => {
    const config = buildConfig({ ...production, AUTH_ROTATOR_EMAILS: ' Alice@Example.com, ,bob@example.com' });
    expect(config.auth.rotatorEmails).toEqual(['alice@example.com', 'bob@example.com']);
  });

  test.each([
    [undefined, 0],
    ['', 0],
    ['0', 0],
    [' 2 ', 2],
    ['10', 10],
  ])('TRUSTED_PROXY_HOPS %j → %i', (value, hops) => {
    expect(buildConfig({ ...production, TRUSTED_PROXY_HOPS: value }).trustedProxyHops).toBe(hops);
  });

  test.each(['-1', '11', '1.5', 'two'])('TRUSTED_PROXY_HOPS %j is refused, naming the variable', (value) => {
    expect(problemsOf({ ...production, TRUSTED_PROXY_HOPS: value })).toEqual([
      expect.stringMatching(/^TRUSTED_PROXY_HOPS: /),
    ]);
  });

  test.each([
    [undefined, 15],
    ['', 15],
    [' 3 ', 3],
    ['120', 120],
  ])('AUTH0_TIMEOUT_SECONDS %j → %i seconds per Auth0 call', (value, seconds) => {
    expect(buildConfig({ ...production, AUTH0_TIMEOUT_SECONDS: value }).auth0.timeoutSeconds).toBe(seconds);
  });

  test.each([
    [undefined, { burst: 120, perSecond: 10 }],
    [' 20:2 ', { burst: 20, perSecond: 2 }],
    ['10:0.5', { burst: 10, perSecond: 0.5 }],
  ])('KEYSHIFT_READ_RATE_LIMIT %j → %j per user', (value, limit) => {
    expect(buildConfig({ ...production, KEYSHIFT_READ_RATE_LIMIT: value }).auth0.readRateLimit).toEqual(limit);
  });

  test.each([
    [undefined, 60],
    ['', 60],
    ['5', 5],
    ['300', 300],
  ])('KEYSHIFT_SETTLE_INTERVAL_SECONDS %j → dangling rotations looked for every %i s', (value, seconds) => {
    expect(buildConfig({ ...production, KEYSHIFT_SETTLE_INTERVAL_SECONDS: value }).settleIntervalSeconds).toBe(seconds);
  });

  test.each([
    [undefined, 15],
    ['', 15],
    ['1', 1],
    ['60', 60],
  ])('KEYSHIFT_WATCH_MINUTES %j → sign-ins watched for %i min after a rotation', (value, minutes) => {
    expect(buildConfig({ ...production, KEYSHIFT_WATCH_MINUTES: value }).watchMinutes).toBe(minutes);
  });
});

describe('alert channels and metrics', () => {
  const secret = `whsec_${Buffer.from('a-secret-of-twenty-four-bytes!').toString('base64')}`;

  test('all off by default; each channel on with its variables', () => {
    expect(buildConfig(production).notify).toEqual({
      webhookUrls: [],
      webhookSecret: undefined,
      slackUrl: undefined,
      smtpUrl: undefined,
      emailTo: [],
      emailFrom: 'Keyshift <keyshift@localhost>',
    });
    const notify = buildConfig({
      ...production,
      NOTIFY_WEBHOOK_URLS: 'https://a.example.com/hook, https://b.example.com/hook',
      NOTIFY_WEBHOOK_SECRET: secret,
      NOTIFY_SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X',
      SMTP_URL: 'smtp://user:pass@mail.example.com:587',
      NOTIFY_EMAIL_TO: 'oncall@example.com,security@example.com',
      NOTIFY_EMAIL_FROM: 'Keyshift <keys@example.com>',
    }).notify;
    expect(notify.webhookUrls).toEqual(['https://a.example.com/hook', 'https://b.example.com/hook']);
    expect(notify.emailTo).toEqual(['oncall@example.com', 'security@example.com']);
    expect(buildConfig({ ...production, METRICS_TOKEN: 't'.repeat(20) }).metricsToken).toBe('t'.repeat(20));
  });

  test.each([
    [{ NOTIFY_WEBHOOK_URLS: 'https://a.example.com/hook' }, 'NOTIFY_WEBHOOK_SECRET is not set'],
    [
      { NOTIFY_WEBHOOK_URLS: 'ftp://a.example.com/x', NOTIFY_WEBHOOK_SECRET: secret },
      'NOTIFY_WEBHOOK_URLS: entry 1 is not an http(s) URL',
    ],
    [{ NOTIFY_WEBHOOK_SECRET: 'not-a-whsec-secret' }, 'NOTIFY_WEBHOOK_SECRET: must be a Standard Webhooks secret'],
    [{ NOTIFY_SLACK_WEBHOOK_URL: 'hooks.slack.com/x' }, 'NOTIFY_SLACK_WEBHOOK_URL: must be an http(s) URL'],
    [{ SMTP_URL: 'mail.example.com' }, 'SMTP_URL: must be smtp://'],
    [{ SMTP_URL: 'smtp://mail.example.com' }, 'NOTIFY_EMAIL_TO is not set'],
    [
      { SMTP_URL: 'smtp://mail.example.com', NOTIFY_EMAIL_TO: 'oncall' },
      'NOTIFY_EMAIL_TO: entry 1 is not an email address',
    ],
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN: must be at least 16 characters'],
    [{ KEYSHIFT_INVENTORY_SHARE: '1' }, 'KEYSHIFT_INVENTORY_SHARE: must be less than 1'],
    [{ KEYSHIFT_ROTATION_PERIOD_DAYS: '0' }, 'KEYSHIFT_ROTATION_PERIOD_DAYS: must be at least 1 day'],
  ])('%j is refused: %s', (override, expected) => {
    const problems = problemsOf({ ...production, ...override }).join('\n');
    expect(problems).toContain(expected);
    // A secret or a URL is never repeated in the sentence.
    for (const value of Object.values(override)) if (value.length > 8) expect(problems).not.toContain(value);
  });
});
