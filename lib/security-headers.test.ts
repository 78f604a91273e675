import { describe, expect, test } from 'vitest';
import { issuerOrigin } from './defaults';
import { contentSecurityPolicy, HSTS_HEADER, strictTransportSecurity } from './security-headers';

function directives(policy: string): Map<string, string> {
  return new Map(policy.split('; ').map((part) => [part.split(' ')[0] ?? '', part]));
}

describe('contentSecurityPolicy', () => {
  const production = directives(
    contentSecurityPolicy('abc123', { development: false, https: true, issuerOrigin: 'https://login.acme.com' }),
  );

  test.each([
    ['script-src', "script-src 'self' 'nonce-abc123' 'strict-dynamic'"],
    ['frame-ancestors', "frame-ancestors 'none'"],
    ['object-src', "object-src 'none'"],
    ['form-action', "form-action 'self' https://login.acme.com"],
    ['upgrade-insecure-requests', 'upgrade-insecure-requests'],
  ])('%s', (name, expected) => {
    expect(production.get(name)).toBe(expected);
  });

  test('never allows inline or evaluated scripts in production', () => {
    expect(production.get('script-src')).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  test('plain http (the demo) does not upgrade requests; development allows eval for React’s dev tools', () => {
    const demo = directives(contentSecurityPolicy('n', { development: true, https: false, issuerOrigin: null }));
    expect(demo.has('upgrade-insecure-requests')).toBe(false);
    expect(demo.get('script-src')).toContain("'unsafe-eval'");
    expect(demo.get('form-action')).toBe("form-action 'self'");
  });
});

describe('issuerOrigin', () => {
  test.each([
    [{ AUTH_ISSUER: 'https://acme.eu.auth0.com/' }, 'https://acme.eu.auth0.com'],
    [{ KEYSHIFT_DEMO: '1' }, 'http://127.0.0.1:4010'],
    [{ KEYSHIFT_DEMO: '1', AUTH_ISSUER: 'http://127.0.0.1:4110' }, 'http://127.0.0.1:4110'],
    [{}, null],
    [{ AUTH_ISSUER: 'not a url' }, null],
  ])('%j → %s', (env, expected) => {
    expect(issuerOrigin(env)).toBe(expected);
  });
});

describe('strictTransportSecurity', () => {
  test.each([
    [{ NEXTAUTH_URL: 'https://keyshift.acme.com' }, HSTS_HEADER.value],
    [{ NEXTAUTH_URL: ' https://keyshift.acme.com ' }, HSTS_HEADER.value],
    [{ NEXTAUTH_URL: 'http://localhost:3000' }, null],
    [{}, null],
  ])('%j → %s', (env, expected) => {
    expect(strictTransportSecurity(env)).toBe(expected);
  });

  test('HSTS lasts two years and covers subdomains', () => {
    expect(HSTS_HEADER.value).toBe('max-age=63072000; includeSubDomains');
  });
});
