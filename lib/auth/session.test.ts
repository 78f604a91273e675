import { createRequire } from 'node:module';
import path from 'node:path';
import type { AuthOptions } from 'next-auth';
import { encode, type JWT } from 'next-auth/jwt';
import { afterEach, describe, expect, test, vi } from 'vitest';

/**
 * currentUser() reads the session cookie itself instead of running next-auth's request handler. It must see exactly
 * the operator next-auth's own session endpoint sees (getServerSession is that handler), for every cookie jar:
 * whole or chunked, expired, tampered, under another secret, under the other cookie name.
 */
const require = createRequire(import.meta.url);
const { AuthHandler } = require(path.join(path.dirname(require.resolve('next-auth')), 'core/index.js')) as {
  AuthHandler(params: {
    req: Request;
    options: AuthOptions;
  }): Promise<{ body?: unknown; cookies?: { name: string; value: string }[] }>;
};

const jar = vi.hoisted(() => ({ cookies: [] as { name: string; value: string }[] }));
vi.mock('next/headers', () => ({ cookies: async () => ({ getAll: () => jar.cookies }) }));
vi.mock('next/server', () => ({ connection: async () => {} }));

const SECRET = 'a-session-secret-of-at-least-32-characters!';
const ALICE = {
  sub: 'auth0|alice',
  email: 'alice@example.com',
  name: 'Alice',
  roles: { all: 'rotator' as const, bySlug: {} },
};
const HOUR = 60 * 60;
const nowSeconds = () => Math.floor(Date.now() / 1000);
/** Alice's token as the jwt callback writes it at sign-in, `ago` seconds before now. */
const signedIn = (ago = 0) => ({ ...ALICE, signedInAt: nowSeconds() - ago });

async function load(url: string) {
  vi.resetModules();
  vi.stubEnv('KEYSHIFT_DEMO', '1');
  vi.stubEnv('NEXTAUTH_URL', url);
  vi.stubEnv('NEXTAUTH_SECRET', SECRET);
  const [{ currentUser }, { authOptions }] = await Promise.all([import('./session'), import('./options')]);
  return { currentUser, options: authOptions() };
}

/** next-auth's own session endpoint on the jar's cookies: the user (or null) and the cookies it sets. */
async function sessionEndpoint(url: string, options: AuthOptions) {
  const cookie = jar.cookies.map(({ name, value }) => `${name}=${value}`).join('; ');
  const { body, cookies = [] } = await AuthHandler({
    req: new Request(`${url}/api/auth/session`, { headers: cookie ? { cookie } : {} }),
    // It logs every refused token; the comparison is the point here.
    options: { ...options, logger: { error: () => {}, warn: () => {}, debug: () => {} } },
  });
  const user = (body as { user?: Record<string, unknown> } | undefined)?.user;
  return {
    user: user?.sub ? { sub: user.sub, email: user.email, name: user.name, roles: user.roles } : null,
    cookies: cookies.map(({ name, value }) => ({ name, value })),
  };
}

/** What next-auth's own session endpoint makes of the same cookies: the user, or null. */
async function nextAuthUser(url: string, options: AuthOptions) {
  return (await sessionEndpoint(url, options)).user;
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
  jar.cookies = [];
});

const token = (claims: Record<string, unknown> = signedIn(), secret = SECRET, maxAge?: number) =>
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
    [
      'a session in chunks',
      async () => chunks(name, await token({ ...signedIn(), idToken: 'x'.repeat(5000) }), 3000),
      true,
    ],
    ['an expired session', async () => [{ name, value: await token(signedIn(), SECRET, -60) }], false],
    ['signed in 7 h 59 min ago', async () => [{ name, value: await token(signedIn(8 * HOUR - 60)) }], true],
    [
      'signed in 8 h + 1 s ago, however fresh its exp',
      async () => [{ name, value: await token(signedIn(8 * HOUR + 1)) }],
      false,
    ],
    ['a session without a sign-in time', async () => [{ name, value: await token(ALICE) }], false],
    [
      'another secret',
      async () => [{ name, value: await token(signedIn(), 'another-secret-of-at-least-32-characters!!') }],
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

describe('sessions end 8 hours after sign-in, however often they are read', () => {
  const T0 = new Date('2025-06-02T08:00:00Z');
  const at = (seconds: number) => vi.setSystemTime(T0.getTime() + seconds * 1000);

  test('the jwt callback records the sign-in time when the operator signs in', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at(0);
    const { options } = await load(HTTP);
    const jwt = options.callbacks?.jwt as unknown as (params: Record<string, unknown>) => Promise<JWT>;
    const token = await jwt({
      token: { sub: ALICE.sub, email: ALICE.email, name: ALICE.name },
      user: { id: ALICE.sub, email: ALICE.email, name: ALICE.name },
      account: { provider: 'auth0', type: 'oauth', providerAccountId: ALICE.sub, id_token: 'id-token' },
      profile: { sub: ALICE.sub, email: ALICE.email, email_verified: true, 'https://keyshift.dev/roles': ['rotator'] },
      trigger: 'signIn',
    });
    expect(token).toMatchObject({
      sub: ALICE.sub,
      roles: { all: 'rotator', bySlug: {} },
      signedInAt: T0.getTime() / 1000,
    });
  });

  test('polling the session endpoint slides exp, but not past 8 hours after sign-in', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at(0);
    jar.cookies = [{ name: PLAIN, value: await token({ ...ALICE, signedInAt: T0.getTime() / 1000 }) }];
    const { currentUser, options } = await load(HTTP);
    // Read every hour: each answer re-issues the cookie with an exp 8 hours from that read.
    for (const hour of [1, 2, 3, 4, 5, 6, 7]) {
      at(hour * HOUR);
      const { user, cookies } = await sessionEndpoint(HTTP, options);
      expect(user).toEqual(ALICE);
      jar.cookies = cookies.filter((cookie) => cookie.value);
    }
    at(8 * HOUR - 60);
    expect(await currentUser()).toEqual(ALICE);
    expect(await nextAuthUser(HTTP, options)).toEqual(ALICE);
    at(8 * HOUR + 1);
    expect(await currentUser()).toBeNull();
    const { user, cookies } = await sessionEndpoint(HTTP, options);
    expect(user).toBeNull();
    // And the endpoint clears the cookie rather than re-issuing it.
    expect(cookies).toContainEqual({ name: PLAIN, value: '' });
  });
});
