'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useTenant } from './tenant-context';

const LINKS = [
  { href: '/', label: 'Connections', matches: (path: string) => path === '/' || path.startsWith('/connections') },
  { href: '/fleet', label: 'Fleet', matches: (path: string) => path === '/fleet' },
  { href: '/campaigns', label: 'Campaigns', matches: (path: string) => path.startsWith('/campaigns') },
  { href: '/audit', label: 'Audit', matches: (path: string) => path === '/audit' || path.startsWith('/audit/') },
  { href: '/alerts', label: 'Alerts', matches: (path: string) => path === '/alerts' },
] as const;

/** The tenant's pages (Alerts only for those who may read the deliveries); which one is current is read from the path past the tenant's own segment. */
export function DashboardNav({ alerts = false }: { alerts?: boolean }) {
  const tenant = useTenant();
  const pathname = (usePathname() ?? `/${tenant.slug}`).replace(/^\/[^/]+/, '') || '/';
  return (
    <nav aria-label="Main">
      <ul className="flex flex-wrap items-center gap-1 text-sm">
        {LINKS.filter((link) => alerts || link.href !== '/alerts').map((link) => {
          const current = link.matches(pathname);
          return (
            <li key={link.href}>
              <Link
                href={tenant.href(link.href)}
                prefetch={false}
                aria-current={current ? 'page' : undefined}
                className={`rounded-md px-2 py-1.5 font-medium sm:px-3 ${
                  current ? 'bg-indigo-50 text-indigo-800' : 'text-slate-600 hover:bg-slate-100 hover:text-slate-900'
                }`}
              >
                {link.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
