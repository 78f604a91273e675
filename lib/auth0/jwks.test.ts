import { expect, test } from 'vitest';
import { inConfiguredTenant } from '@/lib/testing/tenants';

// The app reaches the emulator through AUTH0_API_ORIGIN, but the URL it hands to an IdP admin is the tenant's own.
process.env.KEYSHIFT_DEMO = '1';
process.env.AUTH0_API_ORIGIN = 'http://127.0.0.1:4999';

test.each([
  ['okta-acme', 'https://demo-tenant.local/oauth/connection/okta-acme/.well-known/jwks.json'],
  ['acme sso/eu', 'https://demo-tenant.local/oauth/connection/acme%20sso%2Feu/.well-known/jwks.json'],
])('the JWKS URL of %s is on the tenant’s domain, never the API origin', async (name, url) => {
  const { connectionJwksUrl } = await inConfiguredTenant(import('./jwks'));
  expect(connectionJwksUrl(name)).toBe(url);
});
