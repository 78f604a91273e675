'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { Suspense, useState } from 'react';
import { onDemand } from '@/lib/browser/on-demand';
import { switchedPath } from '@/lib/tenants/paths';
import { EnvironmentBadge } from './environment-badge';
import { type TenantView, useTenant } from './tenant-context';
import { SWITCHER_TRIGGER } from './tenant-switcher-trigger';

// The menu library loads with the first opening of the menu (or the hover before it), not with every page.
const Menu = onDemand(() => import('./tenant-switcher-menu').then((module) => module.TenantSwitcherMenu));

export function TenantSwitcher({ tenants }: { tenants: TenantView[] }) {
  const current = useTenant();
  const pathname = usePathname() ?? `/${current.slug}`;
  const search = useSearchParams()?.toString() ?? '';
  const [opened, setOpened] = useState(false);
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
  const triggerName = `Tenant: ${current.name}, ${current.environment}. Switch tenant`;
  const standIn = (
    <button
      type="button"
      aria-haspopup="menu"
      aria-expanded={false}
      aria-label={triggerName}
      onPointerEnter={Menu.preload}
      onFocus={Menu.preload}
      onClick={() => setOpened(true)}
      className={SWITCHER_TRIGGER}
    >
      {label} <span aria-hidden="true">▾</span>
    </button>
  );
  if (!opened) return standIn;
  return (
    <Suspense fallback={standIn}>
      <Menu.Component
        tenants={tenants}
        current={current.slug}
        hrefOf={(slug) => switchedPath(pathname, search, current.slug, slug)}
        label={label}
        triggerName={triggerName}
      />
    </Suspense>
  );
}
