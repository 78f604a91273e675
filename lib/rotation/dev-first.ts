import type { Environment } from '@/lib/tenants/config';

/** A tenant as the notice names it. */
export interface DevFirstTenant {
  slug: string;
  name: string;
  environment: Environment;
}

/** A connection of the same name in a non-production tenant, not rotated there within the period. */
export interface DevFirstNotice {
  tenant: DevFirstTenant;
  connectionId: string;
  /** Its latest rotation there (by Keyshift or outside it, as the trail knows), or null: never. */
  lastRotatedAt: string | null;
  days: number;
}

export interface DevFirstDependencies<T extends DevFirstTenant> {
  /** The tenants to look in: every non-production tenant the operator can read (the caller decides). */
  tenants: readonly T[];
  /** KEYSHIFT_DEV_FIRST_DAYS, or the tenants file's `devFirstDays`. */
  days: number;
  now(): Date;
  /** The id of the connection with this name in `tenant`, or null (none, or the list could not be read). */
  findConnection(tenant: T, name: string): Promise<string | null>;
  /** When the connection was last rotated in `tenant` (a success, or a rotation made outside Keyshift). */
  lastRotation(tenant: T, connectionId: string): Promise<Date | null>;
}

/**
 * Before a production rotation: where else this connection lives and was not rotated lately, so the operator can rotate
 * there first and see the new key work before production depends on it. A tenant that cannot be read says nothing.
 */
export async function devFirstNotices<T extends DevFirstTenant>(
  deps: DevFirstDependencies<T>,
  connectionName: string,
): Promise<DevFirstNotice[]> {
  const since = deps.now().getTime() - deps.days * 86_400_000;
  const found = await Promise.all(
    deps.tenants
      .filter((tenant) => tenant.environment !== 'production')
      .map(async (tenant): Promise<DevFirstNotice | null> => {
        try {
          const connectionId = await deps.findConnection(tenant, connectionName);
          if (!connectionId) return null;
          const last = await deps.lastRotation(tenant, connectionId);
          if (last && last.getTime() >= since) return null;
          const { slug, name, environment } = tenant;
          return {
            tenant: { slug, name, environment },
            connectionId,
            lastRotatedAt: last?.toISOString() ?? null,
            days: deps.days,
          };
        } catch {
          return null;
        }
      }),
  );
  return found.filter((notice) => notice !== null);
}
