/**
 * The Content-Security-Policy of every page: scripts only from this origin and carrying this request's nonce
 * (no 'unsafe-inline' scripts), and never framed, since a click-to-rotate page must not be clickjacked.
 * Inline styles stay allowed: the dialog and menu primitives position themselves with style attributes.
 */
export function contentSecurityPolicy(
  nonce: string,
  options: { development: boolean; https: boolean; issuerOrigin: string | null },
): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    // Forms post only here; sign-out's post then redirects to the issuer, which form-action also governs.
    `form-action 'self'${options.issuerOrigin ? ` ${options.issuerOrigin}` : ''}`,
    "frame-ancestors 'none'",
    ...(options.https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

export const STATIC_SECURITY_HEADERS: { key: string; value: string }[] = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
];

/**
 * A hand-off link's page (app/handoff): its URL is a bearer link, so it is never cached, never sent on as a referrer,
 * never indexed. Set by the proxy per request and by next.config (the static Referrer-Policy would otherwise win).
 */
export const HANDOFF_HEADERS: { key: string; value: string }[] = [
  { key: 'Cache-Control', value: 'no-store, max-age=0' },
  { key: 'Referrer-Policy', value: 'no-referrer' },
  { key: 'X-Robots-Tag', value: 'noindex, nofollow' },
];

export const HSTS_HEADER = { key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' };

/**
 * Whether the dashboard's public URL is https (production), from the running server's environment: behind a
 * TLS-terminating load balancer the request itself arrives over http.
 */
export function publicUrlIsHttps(env: Record<string, string | undefined>): boolean {
  return (env.NEXTAUTH_URL ?? '').trim().startsWith('https://');
}

/**
 * HSTS whenever the public URL is https. Decided per request by the proxy: next.config's headers() is evaluated
 * at build time, and a build need not know NEXTAUTH_URL.
 */
export function strictTransportSecurity(env: Record<string, string | undefined>): string | null {
  return publicUrlIsHttps(env) ? HSTS_HEADER.value : null;
}
