'use client';

import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { setRotationPeriodAction } from '@/app/(dashboard)/[tenant]/fleet/actions';
import { useTenant } from './tenant-context';

/**
 * A rotator's form for a rotation period: the tenant's own (connectionId null) or one connection's override. "Remove"
 * clears it, so the connection follows its tenant (the tenant, the configured default).
 */
export function RotationPeriodForm({
  connectionId,
  current,
  inheritedDays,
  inheritedFrom,
  onSaved,
}: {
  connectionId: string | null;
  /** The period set here now, or null when none is. */
  current: number | null;
  /** What applies when none is set here. */
  inheritedDays: number;
  inheritedFrom: string;
  onSaved: () => void;
}) {
  const tenant = useTenant();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [days, setDays] = useState(String(current ?? inheritedDays));
  const save = useMutation({
    mutationFn: async (periodDays: number | null) => {
      const result = await setRotationPeriodAction({ tenant: tenant.slug, connectionId, periodDays });
      if (!result.ok) throw new Error(result.fieldErrors?.periodDays?.[0] ?? result.message);
      return result.data;
    },
    onSuccess: () => {
      setOpen(false);
      onSaved();
    },
  });
  const subject = connectionId ? 'this connection' : tenant.name;
  if (!open) {
    return (
      <button
        type="button"
        onClick={() => {
          setDays(String(current ?? inheritedDays));
          save.reset();
          setOpen(true);
        }}
        className="rounded-md px-3 py-1.5 text-sm text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"
      >
        Change the period
      </button>
    );
  }
  return (
    <form
      aria-label={`Rotation period of ${subject}`}
      className="space-y-2"
      onSubmit={(event) => {
        event.preventDefault();
        if (!save.isPending) save.mutate(Number(days));
      }}
    >
      <label htmlFor={`${id}-days`} className="block text-sm font-medium text-slate-900">
        Rotate {subject} every
      </label>
      <div className="flex flex-wrap items-center gap-2">
        <input
          id={`${id}-days`}
          type="number"
          inputMode="numeric"
          min={1}
          max={3650}
          step={1}
          required
          value={days}
          onChange={(event) => setDays(event.target.value)}
          aria-invalid={save.isError ? true : undefined}
          aria-describedby={`${id}-help ${id}-error`}
          className="w-24 rounded-md border border-slate-300 px-2 py-1.5 text-sm"
        />
        <span className="text-sm text-slate-700">days</span>
      </div>
      <p id={`${id}-help`} className="text-xs text-slate-600">
        From 1 to 3650 days. Without a period of its own, {subject} follows {inheritedFrom} ({inheritedDays} days).
      </p>
      <p id={`${id}-error`} aria-live="polite" className="text-sm text-red-700">
        {save.isError ? save.error.message : null}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="submit"
          disabled={save.isPending}
          className="rounded-md bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
        >
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
        {current !== null ? (
          <button
            type="button"
            disabled={save.isPending}
            onClick={() => save.mutate(null)}
            className="rounded-md px-3 py-1.5 text-sm text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"
          >
            Use {inheritedFrom}’s
          </button>
        ) : null}
        <button
          type="button"
          onClick={() => setOpen(false)}
          className="rounded-md px-3 py-1.5 text-sm text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
