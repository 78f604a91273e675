/** Demo-mode defaults, shared by the configuration and by the proxy (which must not import server-only modules). */
export const EMULATOR_ORIGIN = 'http://127.0.0.1:4010';
export const DEMO_TENANT = 'demo-tenant.local';

export function isDemo(env: Record<string, string | undefined>): boolean {
  return env.KEYSHIFT_DEMO === '1' || env.KEYSHIFT_DEMO === 'true';
}

/** The origin operators sign in at; sign-out's form post ends with a redirect there, which CSP must allow. */
export function issuerOrigin(env: Record<string, string | undefined>): string | null {
  const issuer = env.AUTH_ISSUER?.trim() || (isDemo(env) ? EMULATOR_ORIGIN : '');
  try {
    return issuer ? new URL(issuer).origin : null;
  } catch {
    return null;
  }
}
