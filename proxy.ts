import { type NextRequest, NextResponse } from 'next/server';
import { issuerOrigin } from '@/lib/defaults';
import { safeReturnPath } from '@/lib/safe-redirect';
import {
  contentSecurityPolicy,
  HANDOFF_HEADERS,
  HSTS_HEADER,
  publicUrlIsHttps,
  strictTransportSecurity,
} from '@/lib/security-headers';

/** Per request: a CSP nonce, and the path, so a page that needs a sign-in can come back to it afterwards. */
export function proxy(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const policy = contentSecurityPolicy(nonce, {
    development: process.env.NODE_ENV === 'development',
    https: request.nextUrl.protocol === 'https:' || publicUrlIsHttps(process.env),
    issuerOrigin: issuerOrigin(process.env),
  });
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('content-security-policy', policy);
  const { pathname, search, origin } = request.nextUrl;
  headers.set('x-keyshift-path', safeReturnPath(`${pathname}${search}`, origin));
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', policy);
  if (pathname.startsWith('/handoff/')) {
    for (const { key, value } of HANDOFF_HEADERS) response.headers.set(key, value);
  }
  const hsts = strictTransportSecurity(process.env);
  if (hsts) response.headers.set(HSTS_HEADER.key, hsts);
  return response;
}

export const config = {
  matcher: [
    { source: '/((?!_next/static|_next/image|favicon.ico).*)', missing: [{ type: 'header', key: 'next-action' }] },
  ],
};
