'use client';

import { QueryClientProvider } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useState } from 'react';
import { tenantHref } from '@/lib/tenants/paths';
import { newQueryClient } from './query-client';

export interface TenantView {
  slug: string;
  name: string;
  environment: 'development' | 'staging' | 'production';
  domain: string;
}

const TenantContext = createContext<TenantView | null>(null);

/**
 * The tenant of the page (its URL's first segment), for every component below that calls an action or links. Each
 * tenant has a query cache of its own, so no query of one tenant ever answers for another.
 */
export function TenantProvider({ tenant, children }: { tenant: TenantView; children: ReactNode }) {
  const [client] = useState(newQueryClient);
  return (
    <TenantContext.Provider value={tenant}>
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    </TenantContext.Provider>
  );
}

export function useTenant(): TenantView & { href(path: string): string } {
  const tenant = useContext(TenantContext);
  if (!tenant) throw new Error('useTenant() outside a TenantProvider');
  return { ...tenant, href: (path) => tenantHref(tenant.slug, path) };
}
