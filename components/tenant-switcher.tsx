'use client';

import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { EnvironmentBadge } from './environment-badge';
import { type TenantView, useTenant } from './tenant-context';

/**
 * The same place in another tenant: the list and the audit (with its filters) exist in every tenant; a connection
 * page goes to the connection of the same name there, when there is one (the connection page looks it up).
 */
export function switchedPath(pathname: string, search: string, from: string, to: string): string {
  const rest = pathname.replace(/^\/[^/]+/, '') || '/';
  const query = search ? `?${search}` : '';
  if (rest.startsWith('/connections/')) return `/${to}${rest}?from=${encodeURIComponent(from)}`;
  return rest === '/' ? `/${to}${query}` : `/${to}${rest}${query}`;
}

export function TenantSwitcher({ tenants }: { tenants: TenantView[] }) {
  const current = useTenant();
  const pathname = usePathname() ?? `/${current.slug}`;
  const search = useSearchParams()?.toString() ?? '';
  const label = (
    <>
      <span className="max-w-[10rem] truncate">{current.name}</span>
      <EnvironmentBadge environment={current.environment} />
    </>
  );
  if (tenants.length < 2) {
    return (
      <span className="flex items-center gap-2 text-sm font-medium text-slate-800" title={current.domain}>
        {label}
      </span>
    );
  }
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        aria-label={`Tenant: ${current.name}, ${current.environment}. Switch tenant`}
        className="flex items-center gap-2 rounded-md px-2 py-1 text-sm font-medium text-slate-800 ring-1 ring-slate-200 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        {label} <span aria-hidden="true">▾</span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="start"
          sideOffset={4}
          className="z-50 min-w-[16rem] rounded-md bg-white p-1 shadow-lg ring-1 ring-slate-200"
        >
          <DropdownMenu.Label className="px-2 py-1 text-xs text-slate-500">Switch tenant</DropdownMenu.Label>
          {tenants.map((tenant) => (
            <DropdownMenu.Item key={tenant.slug} asChild>
              <Link
                prefetch={false}
                href={switchedPath(pathname, search, current.slug, tenant.slug)}
                aria-current={tenant.slug === current.slug ? 'page' : undefined}
                className="flex items-center justify-between gap-3 rounded px-2 py-1.5 text-sm text-slate-800 outline-none data-[highlighted]:bg-indigo-50"
              >
                <span>
                  {tenant.name} <span className="font-mono text-xs text-slate-500">{tenant.domain}</span>
                </span>
                <EnvironmentBadge environment={tenant.environment} />
              </Link>
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
