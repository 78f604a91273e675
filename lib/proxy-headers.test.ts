import { NextRequest } from 'next/server';
import { afterEach, describe, expect, test, vi } from 'vitest';
import nextConfig from '@/next.config';
import { proxy } from '@/proxy';
import { HANDOFF_HEADERS, HSTS_HEADER, STATIC_SECURITY_HEADERS } from './security-headers';

/**
 * The headers as the running server sends them: the proxy decides the per-request ones (CSP nonce, HSTS from the
 * running server's NEXTAUTH_URL), next.config the fixed ones. The e2e specs check the same on the built app.
 */
afterEach(() => {
  vi.unstubAllEnvs();
});

function respond(url = 'http://localhost:3000/signin') {
  return proxy(new NextRequest(url)).headers;
}

describe('proxy', () => {
  test('every page gets a fresh nonce-based CSP that forbids inline scripts and framing', () => {
    const first = respond().get('content-security-policy') ?? '';
    const second = respond().get('content-security-policy') ?? '';
    expect(first).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'(;|$)/);
    expect(first).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(first).toContain("frame-ancestors 'none'");
    expect(first).not.toBe(second);
  });

  test('HSTS and upgrade-insecure-requests when NEXTAUTH_URL is https, even on a request the load balancer sent over http', () => {
    vi.stubEnv('NEXTAUTH_URL', 'https://keyshift.acme.com');
    const headers = respond('http://10.0.0.5:3000/');
    expect(headers.get('strict-transport-security')).toBe(HSTS_HEADER.value);
    expect(headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
  });

  test('neither on a plain-http demo', () => {
    vi.stubEnv('NEXTAUTH_URL', 'http://localhost:3000');
    const headers = respond();
    expect(headers.get('strict-transport-security')).toBeNull();
    expect(headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
  });
});

describe('the return path the proxy hands to pages', () => {
  const returnPath = (url: string, headers: Record<string, string> = {}) =>
    proxy(new NextRequest(url, { headers })).headers.get('x-middleware-request-x-keyshift-path');

  test.each([
    ['http://localhost:3000/audit?outcome=failed', '/audit?outcome=failed'],
    ['http://localhost:3000//evil.example/x', '/'],
    ['http://localhost:3000/a/..//evil.example', '/'],
    ['http://localhost:3000/%2F%2Fevil.example', '/'],
  ])('%s → %s', (url, expected) => {
    expect(returnPath(url)).toBe(expected);
  });

  test('replaces one the client sent', () => {
    expect(returnPath('http://localhost:3000/connections', { 'x-keyshift-path': '//evil.example' })).toBe(
      '/connections',
    );
  });
});

describe('next.config headers', () => {
  test('every path gets nosniff, a referrer policy, DENY framing and a permissions policy', async () => {
    const rules = (await nextConfig.headers?.()) ?? [];
    expect(rules[0]).toEqual({ source: '/:path*', headers: STATIC_SECURITY_HEADERS });
    const byName = new Map(STATIC_SECURITY_HEADERS.map((header) => [header.key, header.value]));
    expect(byName.get('X-Content-Type-Options')).toBe('nosniff');
    expect(byName.get('Referrer-Policy')).toBe('strict-origin-when-cross-origin');
    expect(byName.get('X-Frame-Options')).toBe('DENY');
  });

  test('a hand-off link’s page, and only it, is sent no referrer and is not indexed (later rules win)', async () => {
    const rules = (await nextConfig.headers?.()) ?? [];
    expect(rules).toHaveLength(2);
    expect(rules[1]).toEqual({
      source: '/handoff/:token*',
      headers: [
        { key: 'Referrer-Policy', value: 'no-referrer' },
        { key: 'X-Robots-Tag', value: 'noindex, nofollow' },
      ],
    });
  });
});

describe('proxy on a hand-off link', () => {
  test('no-store, no referrer, noindex on /handoff/…, none of it elsewhere', () => {
    const handoff = respond('http://localhost:3000/handoff/abc.def.ghi');
    expect(handoff.get('cache-control')).toBe(HANDOFF_HEADERS[0]?.value);
    expect(handoff.get('referrer-policy')).toBe('no-referrer');
    expect(handoff.get('x-robots-tag')).toBe('noindex, nofollow');
    const page = respond('http://localhost:3000/connections');
    expect(page.get('referrer-policy')).toBeNull();
    expect(page.get('x-robots-tag')).toBeNull();
  });
});
