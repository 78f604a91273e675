import type { NextConfig } from 'next';
import { HANDOFF_HEADERS, STATIC_SECURITY_HEADERS } from './lib/security-headers';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // Lets several builds live side by side (parallel test stacks on one machine); `.next` otherwise.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  poweredByHeader: false,
  // Server-only packages with WASM, native code or dynamic requires stay out of the bundle.
  serverExternalPackages: ['@electric-sql/pglite', 'pg', 'pg-boss', 'auth0'],
  typedRoutes: false,
  // The build checks the types of what it ships; tests, the emulator, e2e and benches are checked by `npm run
  // typecheck` (part of `npm test`), so a production install (`npm ci --omit=dev`) needs none of their packages.
  typescript: { tsconfigPath: 'tsconfig.build.json' },
  // Fixed at build time; HSTS depends on the running server's NEXTAUTH_URL, so proxy.ts adds it per request.
  async headers() {
    // Later entries win for the same header: the hand-off page's Referrer-Policy replaces the default one.
    return [
      { source: '/:path*', headers: STATIC_SECURITY_HEADERS },
      { source: '/handoff/:token*', headers: HANDOFF_HEADERS.filter(({ key }) => key !== 'Cache-Control') },
    ];
  },
};

export default nextConfig;
