import { createRequire } from 'node:module';
import path from 'node:path';
import type { AuthOptions } from 'next-auth';
import { encode } from 'next-auth/jwt';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { PRODUCTION_ENV } from '@/lib/testing/production-env';

// next-auth's request handler itself (the App Router route wraps it); its package does not export the path.
const require = createRequire(import.meta.url);
interface InternalCookie {
  name: string;
  value: string;
  options: { httpOnly?: boolean; secure?: boolean; sameSite?: string; path?: string };
}
const { AuthHandler } = require(path.join(path.dirname(require.resolve('next-auth')), 'core/index.js')) as {
  AuthHandler(params: { req: Request; options: AuthOptions }): Promise<{ body?: unknown; cookies?: InternalCookie[] }>;
};

/**
 * The cookies next-auth itself sets with Keyshift's options: the session and CSRF cookies are HttpOnly and
 * SameSite=Lax everywhere, and Secure (with the __Secure- / __Host- prefixes) whenever NEXTAUTH_URL is https.
 * next-auth decides Secure from NEXTAUTH_URL; this runs its own handler, so it would catch an override in our options.
 */
const SECRET = PRODUCTION_ENV.NEXTAUTH_SECRET;

const production = { ...PRODUCTION_ENV, KEYSHIFT_DEMO: '' };

async function optionsFor(env: Record<string, string>) {
  vi.resetModules();
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const { authOptions } = await import('./options');
  return authOptions();
}

afterEach(() => {
  vi.unstubAllEnvs();
});

async function cookiesOf(action: 'session' | 'csrf', env: Record<string, string>, cookie = '') {
  const options = await optionsFor(env);
  const response = await AuthHandler({
    req: new Request(`${env.NEXTAUTH_URL}/api/auth/${action}`, { headers: cookie ? { cookie } : {} }),
    options,
  });
  return { body: response.body, cookies: response.cookies ?? [] };
}

const sessionToken = () =>
  encode({
    token: {
      sub: 'auth0|alice',
      email: 'alice@example.com',
      name: 'Alice',
      roles: { all: 'rotator', bySlug: {} },
      signedInAt: Math.floor(Date.now() / 1000),
    },
    secret: SECRET,
  });

describe('session and CSRF cookies', () => {
  test('production (https): the session cookie is __Secure-, HttpOnly, Secure, SameSite=Lax, and it works', async () => {
    const name = '__Secure-next-auth.session-token';
    const { body, cookies } = await cookiesOf('session', production, `${name}=${await sessionToken()}`);
    expect(body).toMatchObject({ user: { email: 'alice@example.com', roles: { all: 'rotator', bySlug: {} } } });
    const session = cookies.find((cookie) => cookie.name === name);
    expect(session?.options).toMatchObject({ httpOnly: true, secure: true, sameSite: 'lax', path: '/' });
  });

  test('production (https): the CSRF cookie is __Host-, HttpOnly, Secure, SameSite=Lax', async () => {
    const { cookies } = await cookiesOf('csrf', production);
    const csrf = cookies.find((cookie) => cookie.name === '__Host-next-auth.csrf-token');
    expect(csrf?.options).toMatchObject({ httpOnly: true, secure: true, sameSite: 'lax', path: '/' });
  });

  test('the demo (plain http): HttpOnly and SameSite=Lax still, Secure off (a browser would drop it on http)', async () => {
    const demo = { KEYSHIFT_DEMO: '1', NEXTAUTH_URL: 'http://localhost:3000', NEXTAUTH_SECRET: SECRET };
    const name = 'next-auth.session-token';
    const { cookies } = await cookiesOf('session', demo, `${name}=${await sessionToken()}`);
    expect(cookies.find((cookie) => cookie.name === name)?.options).toMatchObject({
      httpOnly: true,
      secure: false,
      sameSite: 'lax',
    });
  });

  test('Keyshift does not override next-auth’s cookie policy', async () => {
    const options = await optionsFor(production);
    expect(options.cookies).toBeUndefined();
    expect(options.useSecureCookies).toBeUndefined();
  });
});
