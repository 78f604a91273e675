import Link from 'next/link';
import type { ReactNode } from 'react';

export function AppHeader({
  notice,
  switcher,
  nav,
  children,
}: {
  /** Across the top, inside the header landmark: the production banner. */
  notice?: ReactNode;
  switcher?: ReactNode;
  nav?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <header className="border-b border-slate-200 bg-white">
      {notice}
      <div className="mx-auto flex min-h-14 max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2">
        <Link prefetch={false} href="/" className="flex items-center gap-2 font-semibold tracking-tight text-slate-900">
          <span
            aria-hidden="true"
            className="grid size-7 place-items-center rounded-md bg-indigo-600 text-sm text-white"
          >
            K
          </span>
          Keyshift
        </Link>
        {switcher}
        {nav}
        <div className="ml-auto flex items-center gap-3">{children}</div>
      </div>
    </header>
  );
}
