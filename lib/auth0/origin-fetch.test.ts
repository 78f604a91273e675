import { describe, expect, test } from 'vitest';
import { originRewritingFetch } from './origin-fetch';

describe('originRewritingFetch', () => {
  const seen: string[] = [];
  const base = (async (input: RequestInfo | URL) => {
    seen.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    return new Response('{}');
  }) as typeof fetch;
  const hook = originRewritingFetch('demo-tenant.local', 'http://127.0.0.1:4010/', base);

  test.each([
    ['https://demo-tenant.local/api/v2/connections?take=5', 'http://127.0.0.1:4010/api/v2/connections?take=5'],
    ['https://demo-tenant.local/oauth/token', 'http://127.0.0.1:4010/oauth/token'],
    ['https://demo-tenant.local', 'http://127.0.0.1:4010'],
    ['https://demo-tenant.local.evil.example/api/v2/', 'https://demo-tenant.local.evil.example/api/v2/'],
    ['https://other.example/api/v2/', 'https://other.example/api/v2/'],
  ])('%s → %s', async (from, to) => {
    seen.length = 0;
    await hook(from);
    expect(seen).toEqual([to]);
  });

  test('keeps method and body of a Request object', async () => {
    let got: Request | undefined;
    const capture = (async (input: RequestInfo | URL) => {
      got = input as Request;
      return new Response('{}');
    }) as typeof fetch;
    await originRewritingFetch(
      'demo-tenant.local',
      'http://127.0.0.1:4010',
      capture,
    )(new Request('https://demo-tenant.local/oauth/token', { method: 'POST', body: 'a=1' }));
    expect(got?.url).toBe('http://127.0.0.1:4010/oauth/token');
    expect(got?.method).toBe('POST');
    expect(await got?.text()).toBe('a=1');
  });
});
