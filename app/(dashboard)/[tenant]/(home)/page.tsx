import type { Metadata } from 'next';
import { ConnectionList } from '@/components/connection-list';
import { requirePermission } from '@/lib/auth/session';
import { connectionList } from '@/lib/auth0/connection-cache';
import { previewSnapshot } from '@/lib/connections/list-state';
import { inTenant } from '@/lib/tenants/scope';
import { pageTenant } from '../tenant';

export const metadata: Metadata = { title: 'Connections' };

/** A small tenant lists in one page; a large one renders its progress at once and the browser polls for the rest. */
const COLD_WAIT_MS = 250;
/** Rows in the server-rendered HTML; the browser fetches the rest, so 10,000 connections weigh no more than 30. */
const PREVIEW_ROWS = 20;

export default async function ConnectionsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const tenant = await pageTenant(params);
  await requirePermission('connections:read', `/${tenant.slug}`, tenant.slug);
  const snapshot = await inTenant(tenant, () => connectionList('key-capable', { waitMs: COLD_WAIT_MS }));
  return <ConnectionList initial={previewSnapshot(snapshot, PREVIEW_ROWS)} />;
}
