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

export const HSTS_HEADER = { key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' };
