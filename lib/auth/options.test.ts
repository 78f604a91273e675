import { afterEach, expect, test, vi } from 'vitest';

/**
 * next-auth takes `callbackUrl` from the query, the form body or its callback-url cookie, and sends the browser there
 * after sign-in; its redirect callback is where Keyshift's one return-path check applies.
 */
const BASE = 'http://localhost:3000';

async function redirectCallback() {
  vi.resetModules();
  vi.stubEnv('KEYSHIFT_DEMO', '1');
  vi.stubEnv('NEXTAUTH_URL', BASE);
  const { authOptions } = await import('./options');
  const redirect = authOptions().callbacks?.redirect;
  if (!redirect) throw new Error('no redirect callback');
  return (url: string) => redirect({ url, baseUrl: BASE });
}

afterEach(() => {
  vi.unstubAllEnvs();
});

test.each([
  ['/audit?x=1#y', `${BASE}/audit?x=1#y`],
  [`${BASE}/connections/con_1`, `${BASE}/connections/con_1`],
  ['https://evil.example/', `${BASE}/`],
  ['//evil.example/', `${BASE}/`],
  ['/\\evil.example', `${BASE}/`],
  ['/\t/evil.example', `${BASE}/`],
  ['/%2F%2Fevil.example', `${BASE}/`],
  ['javascript:alert(1)', `${BASE}/`],
  [`${BASE}.evil.example/`, `${BASE}/`],
])('after sign-in, callbackUrl %j sends the browser to %s', async (url, expected) => {
  expect(await (await redirectCallback())(url)).toBe(expected);
});
