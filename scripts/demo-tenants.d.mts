export const PRIMARY_DOMAIN: string;

export interface ServedTenant {
  slug: string;
  domain: string;
  port: number;
  credentials: { clientIdEnv: string; clientSecretEnv: string };
}

export function emulatedCredentials(domain: string): { clientId: string; clientSecret: string };

export function readDemoTenants(file: string): {
  primary: ServedTenant;
  extras: ServedTenant[];
  emulatorArgs: string[];
  env: Record<string, string>;
};
