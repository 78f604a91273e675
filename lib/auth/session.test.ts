import { createRequire } from 'node:module';
import path from 'node:path';
import type { AuthOptions } from 'next-auth';
import { encode } from 'next-auth/jwt';
import { afterEach, describe, expect, test, vi } from 'vitest';

/**
 * currentUser() reads the session cookie itself instead of running next-auth's request handler. It must see exactly
 * the operator next-auth's own session endpoint sees (getServerSession is that handler), for every cookie jar:
 * whole or chunked, expired, tampered, under another secret, under the other cookie name.
 */
const require = createRequire(import.meta.url);
const { AuthHandler } = require(path.join(path.dirname(require.resolve('next-auth')), 'core/index.js')) as {
  AuthHandler(params: { req: Request; options: AuthOptions }): Promise<{ body?: unknown }>;
};

const jar = vi.hoisted(() => ({ cookies: [] as { name: string; value: string }[] }));
vi.mock('next/headers', () => ({ cookies: async () => ({ getAll: () => jar.cookies }) }));
vi.mock('next/server', () => ({ connection: async () => {} }));

const SECRET = 'a-session-secret-of-at-least-32-characters!';
const ALICE = { sub: 'auth0|alice', email: 'alice@example.com', name: 'Alice', role: 'rotator' as const };

async function load(url: string) {
  vi.resetModules();
  vi.stubEnv('KEYSHIFT_DEMO', '1');
  vi.stubEnv('NEXTAUTH_URL', url);
  vi.stubEnv('NEXTAUTH_SECRET', SECRET);
  const [{ currentUser }, { authOptions }] = await Promise.all([import('./session'), import('./options')]);
  return { currentUser, options: authOptions() };
}

/** What next-auth's own session endpoint makes of the same cookies: the user, or null. */
async function nextAuthUser(url: string, options: AuthOptions) {
  const cookie = jar.cookies.map(({ name, value }) => `${name}=${value}`).join('; ');
  const { body } = await AuthHandler({
    req: new Request(`${url}/api/auth/session`, { headers: cookie ? { cookie } : {} }),
    // It logs every refused token; the comparison is the point here.
    options: { ...options, logger: { error: () => {}, warn: () => {}, debug: () => {} } },
  });
  const user = (body as { user?: Record<string, unknown> } | undefined)?.user;
  if (!user?.sub) return null;
  return { sub: user.sub, email: user.email, name: user.name, role: user.role };
}

afterEach(() => {
  vi.unstubAllEnvs();
  jar.cookies = [];
});

const token = (claims: Record<string, unknown> = ALICE, secret = SECRET, maxAge?: number) =>
  encode({ token: claims, secret, ...(maxAge === undefined ? {} : { maxAge }) });

const chunks = (name: string, value: string, size: number) =>
  Array.from({ length: Math.ceil(value.length / size) }, (_, i) => ({
    name: `${name}.${i}`,
    value: value.slice(i * size, (i + 1) * size),
  }));

const HTTP = 'http://localhost:3000';
const HTTPS = 'https://keyshift.acme.com';
const PLAIN = 'next-auth.session-token';
const SECURE = '__Secure-next-auth.session-token';

describe.each([
  ['plain http', HTTP, PLAIN, SECURE],
  ['https', HTTPS, SECURE, PLAIN],
])('currentUser over %s agrees with next-auth', (_label, url, name, otherName) => {
  const cases: [string, () => Promise<{ name: string; value: string }[]>, boolean][] = [
    ['no cookie', async () => [], false],
    ['a valid session', async () => [{ name, value: await token() }], true],
    ['a session in chunks', async () => chunks(name, await token({ ...ALICE, idToken: 'x'.repeat(5000) }), 3000), true],
    ['an expired session', async () => [{ name, value: await token(ALICE, SECRET, -60) }], false],
    [
      'another secret',
      async () => [{ name, value: await token(ALICE, 'another-secret-of-at-least-32-characters!!') }],
      false,
    ],
    ['a tampered token', async () => [{ name, value: `${(await token()).slice(0, -4)}AAAA` }], false],
    ['a token without sub', async () => [{ name, value: await token({ email: 'x@example.com' }) }], false],
    ['the other cookie name', async () => [{ name: otherName, value: await token() }], false],
  ];
  test.each(cases)('%s', async (_case, cookies, signedIn) => {
    jar.cookies = await cookies();
    const { currentUser, options } = await load(url);
    const user = await currentUser();
    expect(user).toEqual(await nextAuthUser(url, options));
    expect(user).toEqual(signedIn ? ALICE : null);
  });
});
