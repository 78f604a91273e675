import 'server-only';
import { auditStore } from '@/lib/audit';
import { config, tenantByDomain } from '@/lib/config';
import { tenantFleet } from '@/lib/fleet/view';
import type { TenantConfig } from '@/lib/tenants/config';
import { tenantHref } from '@/lib/tenants/paths';
import { inTenant } from '@/lib/tenants/scope';
import { type AlertTenant, dueAlerts } from './alerts';
import { collectRotationAlerts, type DispatchReport, deliveriesFor, dispatchDue, targetsOf } from './notifier';

/** How often alerts are looked for and sent; due dates are looked at less often, they move by days. */
export const NOTIFY_EVERY_MS = 15_000;
const DUE_EVERY_MS = 10 * 60_000;

const alertTenant = ({ slug, name, environment, domain }: TenantConfig): AlertTenant => ({
  slug,
  name,
  environment,
  domain,
});

function connectionUrl(tenant: Pick<AlertTenant, 'slug'>, connectionId: string): string {
  return new URL(tenantHref(tenant.slug, `/connections/${connectionId}`), config().nextAuth.url).href;
}

let dueCheckedAt = 0;

/** One round: rotation alerts from the trail, due warnings from the fleet (every 10 min), then every send due. */
export async function notifyOnce(now: () => Date = () => new Date()): Promise<DispatchReport & { enqueued: number }> {
  const settings = config().notify;
  const targets = targetsOf(settings);
  const store = await auditStore();
  const tenantOf = (domain: string) => {
    const tenant = tenantByDomain(domain);
    return tenant ? alertTenant(tenant) : undefined;
  };
  let enqueued = targets.length > 0 ? await collectRotationAlerts(store, targets, tenantOf, connectionUrl, now()) : 0;
  if (targets.length > 0 && now().getTime() - dueCheckedAt >= DUE_EVERY_MS) {
    dueCheckedAt = now().getTime();
    for (const tenant of config().tenants) {
      const rows = await inTenant(tenant, () => tenantFleet(now()));
      const alerts = dueAlerts(rows, alertTenant(tenant), now().getTime(), (id) => connectionUrl(tenant, id));
      for (const alert of alerts) enqueued += await store.enqueueDeliveries(deliveriesFor(alert, targets, now()));
    }
  }
  const report = await dispatchDue(
    store,
    { webhookSecret: settings.webhookSecret, smtpUrl: settings.smtpUrl, emailFrom: settings.emailFrom },
    targets,
    now,
  );
  return { ...report, enqueued };
}

/** The channels as rotators may see them: kinds and where, never a secret. */
export function configuredChannels(): Array<{ channel: string; target: string }> {
  return targetsOf(config().notify).map((target) => ({ channel: target.channel, target: target.display }));
}
