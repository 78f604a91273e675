import 'server-only';
import { processWide } from '@/lib/async/process-wide';
import { auditStore } from '@/lib/audit';
import { syncExternalRotations } from '@/lib/audit/log-sync';
import { listConnections, readConnectionKeysPaced } from '@/lib/auth0/connections';
import { config } from '@/lib/config';
import { currentTenant, inTenant } from '@/lib/tenants/scope';
import { DEFAULT_INVENTORY_SETTINGS, InventoryFiller, type InventoryStatus } from './inventory';

/** How often each tenant's filler ticks; a tick reads for at most a minute, then lets the next one go on. */
export const INVENTORY_TICK_MS = 30_000;

/** The filler of the tenant in scope, one per process, its dependencies the real Auth0 and database. */
export function inventoryFiller(): InventoryFiller {
  const tenant = currentTenant();
  return processWide(`inventory:${tenant.slug}`, () => {
    const { share, sweepHours } = config().inventory;
    return new InventoryFiller(
      tenant.domain,
      {
        store: {
          inventory: async (domain) => (await auditStore()).inventory(domain),
          saveInventory: async (rows) => (await auditStore()).saveInventory(rows),
          markInventoryStale: async (domain, ids, at) => (await auditStore()).markInventoryStale(domain, ids, at),
          pruneInventory: async (domain, present) => (await auditStore()).pruneInventory(domain, present),
          keyChangesSince: async (domain, afterId) => (await auditStore()).keyChangesSince(domain, afterId),
          withConnectionLock: async (id, holder, fn) => (await auditStore()).withConnectionLock(id, holder, fn),
        },
        listConnections: () =>
          inTenant(tenant, async () =>
            (await listConnections({ keyCapableOnly: true })).filter((connection) => connection.keyCapable),
          ),
        readKeys: (id) => inTenant(tenant, () => readConnectionKeysPaced(id)),
        syncLogs: () => inTenant(tenant, async () => void (await syncExternalRotations({ waitMs: 0 }))),
        now: () => Date.now(),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      },
      {
        ...DEFAULT_INVENTORY_SETTINGS,
        budget: { ...DEFAULT_INVENTORY_SETTINGS.budget, share },
        sweepEveryMs: sweepHours * 3600_000,
      },
    );
  });
}

/** How fresh the tenant in scope's inventory is, as this process's filler knows it. */
export function inventoryStatus(): InventoryStatus & { enabled: boolean } {
  return { ...inventoryFiller().current(), enabled: config().inventory.enabled };
}
