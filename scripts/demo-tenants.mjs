// The demo's tenants file (demo/tenants.json) as the emulator serves it: the port of each tenant, which one is the
// primary (it also serves the operators' sign-in), and the M2M credentials each emulated tenant accepts.
import { readFileSync } from 'node:fs';

/** The emulator's primary tenant (emulator/tenant.ts TENANT_DOMAIN). */
export const PRIMARY_DOMAIN = 'demo-tenant.local';

/** The M2M client emulator/tenant-seed.ts seeds: `demo-m2m` on the primary, `demo-<label>-m2m` on an extra tenant. */
export function emulatedCredentials(domain) {
  if (domain === PRIMARY_DOMAIN) return { clientId: 'demo-m2m', clientSecret: 'demo-m2m-secret' };
  const label = (domain.split('.')[0] ?? domain).replace(/-tenant$/, '');
  return { clientId: `demo-${label}-m2m`, clientSecret: `demo-${label}-m2m-secret` };
}

/**
 * Reads the tenants file: `emulatorArgs` start one emulator serving every tenant on its `apiOrigin`'s port, and `env`
 * sets each tenant's `credentials.clientIdEnv` / `clientSecretEnv` to what that tenant accepts.
 */
export function readDemoTenants(file) {
  const { tenants } = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(tenants) || tenants.length === 0) throw new Error(`${file}: "tenants" must be a non-empty list`);
  const served = tenants.map((tenant) => {
    const origin = new URL(tenant.apiOrigin);
    if (origin.protocol !== 'http:' || origin.hostname !== '127.0.0.1' || !origin.port || origin.pathname !== '/') {
      throw new Error(`${file}: ${tenant.slug}'s apiOrigin must be http://127.0.0.1:PORT, got ${tenant.apiOrigin}`);
    }
    return { slug: tenant.slug, domain: tenant.domain, port: Number(origin.port), credentials: tenant.credentials };
  });
  const primary = served.find((tenant) => tenant.domain === PRIMARY_DOMAIN);
  if (!primary) throw new Error(`${file}: no tenant on ${PRIMARY_DOMAIN}, the emulator's primary tenant`);
  const extras = served.filter((tenant) => tenant !== primary);
  const env = {};
  for (const { domain, credentials } of served) {
    const { clientId, clientSecret } = emulatedCredentials(domain);
    env[credentials.clientIdEnv] = clientId;
    env[credentials.clientSecretEnv] = clientSecret;
  }
  return {
    primary,
    extras,
    emulatorArgs: [
      '--port',
      String(primary.port),
      ...extras.flatMap(({ domain, port }) => ['--extra-tenant', `${domain}@${port}`]),
    ],
    env,
  };
}
