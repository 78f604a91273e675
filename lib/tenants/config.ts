// TEMPORARY on branch t15: replaced by the tenants-file loader from branch cfg15 at merge.
export const ENVIRONMENTS = ['development', 'staging', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
export interface TenantConfig {
  slug: string;
  name: string;
  environment: Environment;
  domain: string;
  apiOrigin: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
  managementToken: string | undefined;
}
