import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';
import { processWide } from '@/lib/async/process-wide';
import type { TenantConfig } from './config';

/**
 * The tenant a piece of work is for. Every entry point names it once (an action from its `tenant` argument, a page
 * from its URL, a background job from the tenant it is working through), and everything below (the Auth0 client, the
 * audit events, the caches and locks) asks `currentTenant()` instead of being handed it through every call. Work
 * outside any tenant's scope that needs one is a bug, and fails loudly rather than picking a tenant.
 */
const storage = processWide('tenant-scope', () => new AsyncLocalStorage<TenantConfig>());

export function inTenant<T>(tenant: TenantConfig, work: () => T): T {
  return storage.run(tenant, work);
}

export function currentTenant(): TenantConfig {
  const tenant = storage.getStore();
  if (!tenant) throw new Error('No tenant in scope: this work must run inside inTenant(…).');
  return tenant;
}

/** For work that must not inherit a tenant (a process-wide timer started during a request, say). */
export function outsideAnyTenant<T>(work: () => T): T {
  return storage.exit(work);
}
