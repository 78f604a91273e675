import type { ReactNode } from 'react';

/** The centred card of the pages a person sees before or instead of the dashboard. */
export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="grid min-h-screen place-items-center px-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <div className="mb-6 flex items-center gap-2 font-semibold tracking-tight">
          <span aria-hidden="true" className="grid size-8 place-items-center rounded-md bg-indigo-600 text-white">
            K
          </span>
          Keyshift
        </div>
        <h1 className="text-lg font-semibold">{title}</h1>
        <div className="mt-2 space-y-4 text-sm text-slate-600">{children}</div>
      </div>
    </main>
  );
}
