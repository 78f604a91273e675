import { describe, expect, test } from 'vitest';
import { buildConfig, ConfigError } from './config';

const production = {
  AUTH0_DOMAIN: 'acme.eu.auth0.com',
  AUTH0_CLIENT_ID: 'm2m',
  AUTH0_CLIENT_SECRET: 'm2m-secret',
  AUTH_ISSUER: 'https://login.acme.com/',
  AUTH_CLIENT_ID: 'dash',
  AUTH_CLIENT_SECRET: 'dash-secret',
  NEXTAUTH_URL: 'https://keyshift.acme.com',
  NEXTAUTH_SECRET: 'x'.repeat(32),
};

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
    ['no client credentials', { AUTH0_CLIENT_SECRET: undefined }, 'AUTH0_CLIENT_SECRET is not set'],
    ['a timeout of zero', { AUTH0_TIMEOUT_SECONDS: '0' }, 'AUTH0_TIMEOUT_SECONDS'],
    ['a fractional timeout', { AUTH0_TIMEOUT_SECONDS: '2.5' }, 'AUTH0_TIMEOUT_SECONDS'],
    ['a timeout that is not a number', { AUTH0_TIMEOUT_SECONDS: 'soon' }, 'AUTH0_TIMEOUT_SECONDS'],
    ['a settle interval under 5 s', { KEYSHIFT_SETTLE_INTERVAL_SECONDS: '1' }, 'KEYSHIFT_SETTLE_INTERVAL_SECONDS'],
    [
      'a settle interval that is not a number',
      { KEYSHIFT_SETTLE_INTERVAL_SECONDS: 'often' },
      'KEYSHIFT_SETTLE_INTERVAL_SECONDS',
    ],
  ])('refuses %s', (_label, override, expected) => {
    expect(problemsOf({ ...production, ...override }).join('\n')).toContain(expected);
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
    [undefined, 15],
    ['', 15],
    [' 3 ', 3],
    ['120', 120],
  ])('AUTH0_TIMEOUT_SECONDS %j → %i seconds per Auth0 call', (value, seconds) => {
    expect(buildConfig({ ...production, AUTH0_TIMEOUT_SECONDS: value }).auth0.timeoutSeconds).toBe(seconds);
  });

  test.each([
    [undefined, 60],
    ['', 60],
    ['5', 5],
    ['300', 300],
  ])('KEYSHIFT_SETTLE_INTERVAL_SECONDS %j → dangling rotations looked for every %i s', (value, seconds) => {
    expect(buildConfig({ ...production, KEYSHIFT_SETTLE_INTERVAL_SECONDS: value }).settleIntervalSeconds).toBe(seconds);
  });
});
