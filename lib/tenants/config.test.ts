import { describe, expect, test } from 'vitest';
import { buildConfig, ConfigError } from '@/lib/config';
import { PRODUCTION_ENV } from '@/lib/testing/production-env';
import { parseTenantsFile, slugFromDomain, TenantsConfigError } from './config';

const DEV = {
  slug: 'dev',
  name: 'Acme development',
  environment: 'development',
  domain: 'acme-dev.eu.auth0.com',
  credentials: { clientIdEnv: 'DEV_ID', clientSecretEnv: 'DEV_SECRET' },
};
const PROD = {
  slug: 'prod',
  name: 'Acme production',
  environment: 'production',
  domain: 'acme.eu.auth0.com',
  credentials: { managementTokenEnv: 'PROD_TOKEN' },
};
const ENV = { DEV_ID: 'id-dev', DEV_SECRET: 's3cr3t-dev', PROD_TOKEN: 'tok-prod' };

const problemsOf = (text: string, env: Record<string, string> = ENV, path = 'tenants.json') => {
  try {
    parseTenantsFile(path, text, env);
  } catch (error) {
    if (error instanceof TenantsConfigError) return error.problems;
    throw error;
  }
  return [];
};
const file = (tenants: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ tenants, ...extra });

describe('the tenants file', () => {
  test('JSON: each tenant with its credentials read from the variables the file names', () => {
    expect(parseTenantsFile('t.json', file([DEV, PROD], { devFirstDays: 14 }), ENV)).toEqual({
      devFirstDays: 14,
      tenants: [
        {
          slug: 'dev',
          name: 'Acme development',
          environment: 'development',
          domain: 'acme-dev.eu.auth0.com',
          apiOrigin: undefined,
          clientId: 'id-dev',
          clientSecret: 's3cr3t-dev',
          managementToken: undefined,
        },
        {
          slug: 'prod',
          name: 'Acme production',
          environment: 'production',
          domain: 'acme.eu.auth0.com',
          apiOrigin: undefined,
          clientId: undefined,
          clientSecret: undefined,
          managementToken: 'tok-prod',
        },
      ],
    });
  });

  test('YAML reads the same, an API origin override included', () => {
    const yaml = `tenants:
  - slug: dev
    name: Acme development
    environment: development
    domain: acme-dev.eu.auth0.com
    apiOrigin: http://127.0.0.1:4011/
    credentials: { clientIdEnv: DEV_ID, clientSecretEnv: DEV_SECRET }
`;
    expect(parseTenantsFile('tenants.yaml', yaml, ENV).tenants[0]).toMatchObject({
      slug: 'dev',
      apiOrigin: 'http://127.0.0.1:4011',
      clientSecret: 's3cr3t-dev',
    });
  });

  test.each([
    [
      'a bad environment',
      [{ ...DEV, environment: 'prod' }],
      'tenants[0] "dev": environment must be development, staging or production',
    ],
    [
      'a secret in the file',
      [{ ...DEV, credentials: { clientIdEnv: 'DEV_ID', clientSecret: 'hunter2' } }],
      'tenants[0] "dev": credentials must be',
    ],
    [
      'a secret beside the credentials',
      [{ ...PROD, clientSecret: 'hunter2' }],
      'tenants[0] "prod": clientSecret holds a credential itself; give the NAME of an environment variable',
    ],
    [
      'an unset variable',
      [{ ...DEV, credentials: { clientIdEnv: 'DEV_ID', clientSecretEnv: 'NOPE' } }],
      'tenants[0] "dev": credentials.clientSecretEnv names NOPE, which is not set',
    ],
    ['a reserved slug', [{ ...DEV, slug: 'audit' }], 'tenants[0] "audit": slug is one of Keyshift’s own paths'],
    ['a slug with capitals', [{ ...DEV, slug: 'Dev' }], 'tenants[0] "Dev": slug must be 1 to 32 lowercase letters'],
    [
      'a domain with a scheme',
      [{ ...DEV, domain: 'https://acme.auth0.com' }],
      'tenants[0] "dev": domain must be a host name',
    ],
    ['two tenants, one slug', [DEV, { ...PROD, slug: 'dev' }], 'tenants[1] "dev": slug "dev" is also tenants[0]\'s'],
    [
      'two tenants, one domain',
      [DEV, { ...PROD, domain: DEV.domain }],
      'tenants[1] "prod": domain "acme-dev.eu.auth0.com" is also tenants[0]\'s',
    ],
    ['an entry without a name', [{ ...DEV, name: undefined }], 'tenants[0] "dev": name'],
    ['no tenants', [], 'tenants must list at least one tenant'],
  ])('%s is refused with a sentence naming the entry and the field', (_label, tenants, expected) => {
    const problems = problemsOf(file(tenants));
    expect(
      problems.some((problem) => problem.startsWith(expected)),
      problems.join('\n'),
    ).toBe(true);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  test('invalid JSON and YAML say so, with the parser’s words', () => {
    expect(problemsOf('{"tenants": [')[0]).toMatch(/^it is not valid JSON: /);
    expect(problemsOf('tenants: [\n  - a: b', ENV, 'tenants.yml')[0]).toMatch(/^it is not valid YAML: /);
  });

  test.each([
    ['acme-dev.eu.auth0.com', 'acme-dev'],
    ['Demo_Tenant.local', 'demo-tenant'],
    ['audit.example.com', 'audit-tenant'],
    ['---.example.com', 'tenant'],
  ])('a single tenant’s slug from its domain: %s → %s', (domain, slug) => {
    expect(slugFromDomain(domain)).toBe(slug);
  });
});

describe('buildConfig with tenants', () => {
  const reading = (files: Record<string, string>) => (path: string) => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    return text;
  };
  const withFile = { ...PRODUCTION_ENV, AUTH0_DOMAIN: undefined, KEYSHIFT_TENANTS_FILE: 't.json', ...ENV };

  test('the single-tenant variables are a one-entry list, marked production unless said otherwise', () => {
    const { tenants } = buildConfig(PRODUCTION_ENV);
    expect(tenants).toMatchObject([{ slug: 'acme', environment: 'production', domain: 'acme.eu.auth0.com' }]);
    const named = buildConfig({
      ...PRODUCTION_ENV,
      KEYSHIFT_TENANT_SLUG: 'eu',
      KEYSHIFT_TENANT_ENVIRONMENT: 'staging',
    });
    expect(named.tenants).toMatchObject([{ slug: 'eu', environment: 'staging' }]);
  });

  test('a tenants file lists every tenant; the first is what config().auth0 describes', () => {
    const config = buildConfig(withFile, reading({ 't.json': file([DEV, PROD]) }));
    expect(config.tenants.map((tenant) => tenant.slug)).toEqual(['dev', 'prod']);
    expect(config.auth0).toMatchObject({ domain: DEV.domain, clientId: 'id-dev' });
    expect(config.devFirstDays).toBe(30);
  });

  test.each([
    ['a missing file', {}, 'KEYSHIFT_TENANTS_FILE (t.json) cannot be read: there is no such file'],
    [
      'a bad entry',
      { 't.json': file([{ ...DEV, environment: 'qa' }]) },
      'KEYSHIFT_TENANTS_FILE (t.json): tenants[0] "dev": environment must be',
    ],
  ])('%s stops the start with a sentence naming the problem', (_label, files, expected) => {
    expect(() => buildConfig(withFile, reading(files))).toThrow(ConfigError);
    expect(() => buildConfig(withFile, reading(files))).toThrow(expected);
  });

  test('a tenants file and AUTH0_DOMAIN together are refused', () => {
    expect(() =>
      buildConfig({ ...withFile, AUTH0_DOMAIN: 'acme.eu.auth0.com' }, reading({ 't.json': file([DEV]) })),
    ).toThrow('KEYSHIFT_TENANTS_FILE and AUTH0_DOMAIN/AUTH0_API_ORIGIN are both set');
  });

  test('allow-lists: an address everywhere, or address:slug in one tenant; an unknown slug is a mistake', () => {
    const config = buildConfig(
      {
        ...withFile,
        AUTH_ROTATOR_EMAILS: 'alice@example.com, dave@example.com:dev',
        AUTH_VIEWER_EMAILS: 'dave@example.com:prod',
      },
      reading({ 't.json': file([DEV, PROD]) }),
    );
    expect(config.auth.allowLists).toEqual({
      rotator: { all: ['alice@example.com'], bySlug: { dev: ['dave@example.com'] } },
      viewer: { all: [], bySlug: { prod: ['dave@example.com'] } },
    });
    expect(() =>
      buildConfig(
        { ...withFile, AUTH_ROTATOR_EMAILS: 'dave@example.com:qa' },
        reading({ 't.json': file([DEV, PROD]) }),
      ),
    ).toThrow('AUTH_ROTATOR_EMAILS: "dave@example.com:qa" names no configured tenant (dev, prod)');
  });
});
