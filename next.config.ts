import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages with WASM, native code or dynamic requires stay out of the bundle.
  serverExternalPackages: ['@electric-sql/pglite', 'pg', 'auth0'],
  typedRoutes: false,
};

export default nextConfig;
