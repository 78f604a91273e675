'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { configureIdpAction } from '@/app/(dashboard)/[tenant]/connections/[id]/idp/actions';
import type { IdpMode, IdpSetting } from '@/lib/idp/types';
import { useTenant } from './tenant-context';

const UNITS = { min: 60, h: 3600, d: 86_400 } as const;
type Unit = keyof typeof UNITS;

export const MODE_LABELS: Record<IdpMode, string> = {
  jwks_url: 'Fetches the JWKS URL',
  pasted: 'Its admin pastes each key',
  unknown: 'Not known',
};

function splitSeconds(seconds: number): { amount: string; unit: Unit } {
  if (seconds % UNITS.d === 0) return { amount: String(seconds / UNITS.d), unit: 'd' };
  if (seconds % UNITS.h === 0) return { amount: String(seconds / UNITS.h), unit: 'h' };
  return { amount: String(Math.round(seconds / UNITS.min)), unit: 'min' };
}

/** The rotator's form: the mode, and for `jwks_url` the IdP's cache time (1 min – 7 days). */
export function IdpSettingsForm({
  connectionId,
  setting,
  onDone,
}: {
  connectionId: string;
  setting: IdpSetting;
  onDone: () => void;
}) {
  const tenant = useTenant();
  const id = useId();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<IdpMode>(setting.mode);
  const initial = splitSeconds(setting.cacheSeconds);
  const [amount, setAmount] = useState(initial.amount);
  const [unit, setUnit] = useState<Unit>(initial.unit);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const save = useMutation({
    mutationFn: async () => {
      const result = await configureIdpAction({
        tenant: tenant.slug,
        connectionId,
        mode,
        cacheSeconds: Number(amount) * UNITS[unit],
      });
      if (!result.ok) {
        setFieldErrors(result.fieldErrors ?? {});
        throw new Error(result.message);
      }
      return result.data;
    },
    onSuccess: async () => {
      setFieldErrors({});
      await queryClient.invalidateQueries({ queryKey: ['idp', connectionId] });
      onDone();
    },
  });
  const cacheError = fieldErrors.cacheSeconds?.[0];
  return (
    <form
      aria-label="Identity provider settings"
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        if (!save.isPending) save.mutate();
      }}
    >
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-900">How the IdP learns keys</legend>
        {(Object.keys(MODE_LABELS) as IdpMode[]).map((value) => (
          <label key={value} className="flex items-center gap-2 text-sm text-slate-800">
            <input
              type="radio"
              name={`${id}-mode`}
              value={value}
              checked={mode === value}
              onChange={() => setMode(value)}
            />
            {MODE_LABELS[value]}
          </label>
        ))}
      </fieldset>
      {mode === 'jwks_url' ? (
        <div className="space-y-1">
          <label htmlFor={`${id}-cache`} className="block text-sm font-medium text-slate-900">
            The IdP caches the JWKS for
          </label>
          <div className="flex gap-2">
            <input
              id={`${id}-cache`}
              type="number"
              inputMode="numeric"
              min={1}
              step={1}
              required
              value={amount}
              onChange={(event) => setAmount(event.target.value)}
              aria-invalid={cacheError ? true : undefined}
              aria-describedby={`${id}-cache-help ${id}-cache-error`}
              className="w-24 rounded-md border border-slate-300 px-2 py-1.5 text-sm"
            />
            <select
              aria-label="Unit of the cache time"
              value={unit}
              onChange={(event) => setUnit(event.target.value as Unit)}
              className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
            >
              <option value="min">minutes</option>
              <option value="h">hours</option>
              <option value="d">days</option>
            </select>
          </div>
          <p id={`${id}-cache-help`} className="text-xs text-slate-600">
            From 1 minute to 7 days; 24 hours when the IdP does not say.
          </p>
          <p id={`${id}-cache-error`} aria-live="polite" className="text-sm text-red-700">
            {cacheError ? `The cache time ${cacheError}.` : null}
          </p>
        </div>
      ) : null}
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="submit"
          disabled={save.isPending}
          className="rounded-md bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
        >
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
        <button
          type="button"
          onClick={onDone}
          className="rounded-md px-3 py-1.5 text-sm text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"
        >
          Cancel
        </button>
      </div>
      <p aria-live="polite" className="text-sm text-red-700">
        {save.error && !cacheError ? save.error.message : null}
      </p>
    </form>
  );
}
