import type { ReactNode } from 'react';

/** A hand-off page that shows no key material: a link that is not valid, a rate limit, Auth0 not answering. */
export function HandoffNotice({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="mx-auto max-w-xl px-4 py-16">
      <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <h1 className="text-xl font-semibold tracking-tight text-slate-900">{title}</h1>
        <div className="space-y-2 text-sm text-slate-700">{children}</div>
      </div>
    </main>
  );
}
