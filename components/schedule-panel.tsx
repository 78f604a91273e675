'use client';

import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { setScheduleAction } from '@/app/(dashboard)/[tenant]/campaigns/actions';
import type { ScheduleView } from '@/lib/campaigns/view';
import { useTenant } from './tenant-context';

function describeNext(view: ScheduleView): string {
  if (!view.next) return '';
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone: view.timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
  const when = `${format.format(new Date(view.next.start))} – ${format.format(new Date(view.next.end))} (${view.timeZone})`;
  return view.next.open ? `A window is open now: ${when}.` : `Next window: ${when}.`;
}

/**
 * The tenant's scheduled rotation: off by default; when on, each maintenance window (a cron expression in a time
 * zone, so many minutes long) rotates the due connections that are ready; the others are alerted, never rotated by it.
 */
export function SchedulePanel({ initial, canEdit }: { initial: ScheduleView; canEdit: boolean }) {
  const tenant = useTenant();
  const id = useId();
  const [view, setView] = useState(initial);
  const [editing, setEditing] = useState(false);
  const [form, setForm] = useState({
    enabled: initial.enabled,
    cron: initial.cron,
    timeZone: initial.timeZone,
    windowMinutes: String(initial.windowMinutes),
  });
  const save = useMutation({
    mutationFn: async () => {
      const result = await setScheduleAction({
        tenant: tenant.slug,
        enabled: form.enabled,
        cron: form.cron,
        timeZone: form.timeZone,
        windowMinutes: Number(form.windowMinutes),
      });
      if (!result.ok) throw Object.assign(new Error(result.message), { fieldErrors: result.fieldErrors ?? {} });
      return result.data;
    },
    onSuccess: (saved) => {
      setView(saved);
      setEditing(false);
    },
  });
  const fieldError = (field: string) =>
    (save.error as (Error & { fieldErrors?: Record<string, string[]> }) | null)?.fieldErrors?.[field]?.[0];
  const input = (field: 'cron' | 'timeZone' | 'windowMinutes', label: string, help: string) => (
    <div className="space-y-1">
      <label htmlFor={`${id}-${field}`} className="block text-sm font-medium text-slate-900">
        {label}
      </label>
      <input
        id={`${id}-${field}`}
        value={form[field]}
        onChange={(event) => setForm({ ...form, [field]: event.target.value })}
        inputMode={field === 'windowMinutes' ? 'numeric' : undefined}
        aria-invalid={fieldError(field) ? true : undefined}
        aria-describedby={`${id}-${field}-help`}
        className="w-full max-w-xs rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm"
      />
      <p id={`${id}-${field}-help`} className={`text-xs ${fieldError(field) ? 'text-red-700' : 'text-slate-600'}`}>
        {fieldError(field) ?? help}
      </p>
    </div>
  );
  return (
    <section aria-labelledby={`${id}-title`} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id={`${id}-title`} className="text-base font-semibold text-slate-900">
        Scheduled rotation
      </h2>
      <p className="text-sm text-slate-700" data-testid="schedule-status">
        {view.enabled
          ? `On: in each window “${view.cron}” (${view.timeZone}, ${view.windowMinutes} minutes) Keyshift rotates the due connections that are ready; the others are alerted, not rotated. ${describeNext(view)}`
          : 'Off: nothing is rotated automatically.'}
      </p>
      {canEdit && !editing ? (
        <button
          type="button"
          onClick={() => {
            save.reset();
            setEditing(true);
          }}
          className="rounded-md px-3 py-1.5 text-sm text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"
        >
          Change the schedule
        </button>
      ) : null}
      {canEdit && editing ? (
        <form
          aria-label="Schedule"
          className="space-y-3"
          onSubmit={(event) => {
            event.preventDefault();
            if (!save.isPending) save.mutate();
          }}
        >
          <label className="flex items-center gap-2 text-sm text-slate-800">
            <input
              type="checkbox"
              checked={form.enabled}
              onChange={(event) => setForm({ ...form, enabled: event.target.checked })}
            />
            Rotate due, ready connections automatically
          </label>
          {input(
            'cron',
            'Window opens (cron)',
            'Five fields: minute hour day-of-month month day-of-week, e.g. 0 2 * * 6.',
          )}
          {input('timeZone', 'Time zone', 'An IANA name, e.g. Europe/Berlin or UTC.')}
          {input('windowMinutes', 'Window length (minutes)', 'From 15 to 1440 minutes.')}
          <p aria-live="polite" className="text-sm text-red-700">
            {save.isError && !fieldError('cron') && !fieldError('timeZone') && !fieldError('windowMinutes')
              ? save.error.message
              : null}
          </p>
          <div className="flex flex-wrap gap-2">
            <button
              type="submit"
              disabled={save.isPending}
              className="rounded-md bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
            >
              {save.isPending ? 'Saving…' : 'Save'}
            </button>
            <button
              type="button"
              onClick={() => setEditing(false)}
              className="rounded-md px-3 py-1.5 text-sm text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"
            >
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
