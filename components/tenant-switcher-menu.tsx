'use client';

import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { EnvironmentBadge } from './environment-badge';
import type { TenantView } from './tenant-context';
import { SWITCHER_TRIGGER } from './tenant-switcher-trigger';

/** The tenants menu, mounted open the first time the stand-in trigger is clicked (tenant-switcher.tsx). */
export function TenantSwitcherMenu({
  tenants,
  current,
  hrefOf,
  label,
  triggerName,
}: {
  tenants: TenantView[];
  current: string;
  hrefOf: (slug: string) => string;
  label: ReactNode;
  triggerName: string;
}) {
  return (
    <DropdownMenu.Root defaultOpen>
      <DropdownMenu.Trigger aria-label={triggerName} className={SWITCHER_TRIGGER}>
        {label} <span aria-hidden="true">▾</span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="start"
          sideOffset={4}
          className="z-50 min-w-[16rem] max-w-[calc(100vw-1rem)] rounded-md bg-white p-1 shadow-lg ring-1 ring-slate-200"
        >
          <DropdownMenu.Label className="px-2 py-1 text-xs text-slate-500">Switch tenant</DropdownMenu.Label>
          {tenants.map((tenant) => (
            <DropdownMenu.Item key={tenant.slug} asChild>
              <Link
                prefetch={false}
                href={hrefOf(tenant.slug)}
                aria-current={tenant.slug === current ? 'page' : undefined}
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
