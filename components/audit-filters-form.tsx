'use client';

import { useRouter } from 'next/navigation';
import { useId } from 'react';
import { outcomeFilters } from '@/lib/audit/outcomes';
import { type AuditSearch, auditHref, auditSearchSchema, isFiltered, OUTCOME_LABELS } from '@/lib/audit/view/filters';
import { useTenant } from './tenant-context';

const INPUT = 'rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-xs';
const LABEL = 'text-xs font-medium text-slate-600';

/**
 * The filters live in the URL: applying them navigates to `/audit?…` (so reload, back and a shared link keep them).
 * Without JavaScript the form is a plain GET to the same place.
 */
export function AuditFiltersForm({ search }: { search: AuditSearch }) {
  const tenant = useTenant();
  const id = useId();
  const router = useRouter();
  return (
    <search aria-label="Filter rotations">
      <form
        method="get"
        action={tenant.href('/audit')}
        // A new URL brings new defaults: remount the inputs rather than keep what was typed before.
        key={auditHref(search, tenant.href('/audit'))}
        className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 shadow-xs"
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          const next = auditSearchSchema.parse(Object.fromEntries(form.entries()));
          router.push(auditHref(next, tenant.href('/audit')), { scroll: false });
        }}
      >
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-connection`} className={LABEL}>
            Connection id
          </label>
          <input
            id={`${id}-connection`}
            name="connection"
            defaultValue={search.connection ?? ''}
            placeholder="con_…"
            spellCheck={false}
            autoComplete="off"
            className={`${INPUT} w-52 font-mono`}
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-actor`} className={LABEL}>
            Actor (email, subject or client id)
          </label>
          <input
            id={`${id}-actor`}
            name="actor"
            defaultValue={search.actor ?? ''}
            spellCheck={false}
            autoComplete="off"
            className={`${INPUT} w-60`}
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-outcome`} className={LABEL}>
            Outcome
          </label>
          <select id={`${id}-outcome`} name="outcome" defaultValue={search.outcome ?? ''} className={INPUT}>
            <option value="">Any outcome</option>
            {outcomeFilters.map((outcome) => (
              <option key={outcome} value={outcome}>
                {OUTCOME_LABELS[outcome]}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-from`} className={LABEL}>
            From (UTC day)
          </label>
          <input id={`${id}-from`} name="from" type="date" defaultValue={search.from ?? ''} className={INPUT} />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-to`} className={LABEL}>
            To (UTC day, included)
          </label>
          <input id={`${id}-to`} name="to" type="date" defaultValue={search.to ?? ''} className={INPUT} />
        </div>
        <div className="flex gap-2">
          <button
            type="submit"
            className="rounded-md bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white shadow-xs hover:bg-indigo-500"
          >
            Apply filters
          </button>
          {isFiltered(search) ? (
            <button
              type="button"
              onClick={() => router.push(tenant.href('/audit'), { scroll: false })}
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50"
            >
              Clear
            </button>
          ) : null}
        </div>
      </form>
    </search>
  );
}
