'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { planCampaignAction, startCampaignAction } from '@/app/(dashboard)/[tenant]/campaigns/actions';
import { type CampaignFilter, describeSelection, type PlanAction } from '@/lib/campaigns/plan';
import { formatDuration } from '@/lib/campaigns/view';
import { SIGNING_ALG_VALUES, type SigningAlg } from '@/lib/certs/signing-algorithms';
import { EnvironmentBadge } from './environment-badge';
import { ReadinessBadge } from './readiness-badge';
import { useTenant } from './tenant-context';

type SelectionKind = 'overdue' | 'due' | 'ready' | 'names' | 'filter';

const SELECTIONS: Array<{ kind: SelectionKind; label: string }> = [
  { kind: 'overdue', label: 'All overdue' },
  { kind: 'due', label: 'All overdue or due within 30 days' },
  { kind: 'ready', label: 'All ready (the IdP trusts the next key)' },
  { kind: 'names', label: 'These connections (names, one per line)' },
];

const ACTIONS: Record<PlanAction, string> = {
  rotate: 'Rotate',
  rotate_acknowledged: 'Rotate although not ready',
  skip_not_ready: 'Skip: not ready',
  skip_no_keys: 'Skip: no keys to rotate',
};

type PlanResult = Awaited<ReturnType<typeof planCampaignAction>>;
type Plan = Extract<PlanResult, { ok: true }>['data'];

/**
 * A campaign in three steps: choose the connections and the algorithm, read the dry run (each connection, its
 * readiness, what will happen, the time the rate budget implies), then type the phrase it names to start it.
 */
export function CampaignForm({ fleetFilter = null }: { fleetFilter?: CampaignFilter | null }) {
  const tenant = useTenant();
  const router = useRouter();
  const id = useId();
  const [kind, setKind] = useState<SelectionKind>(fleetFilter ? 'filter' : 'overdue');
  const selections = fleetFilter
    ? [
        {
          kind: 'filter' as const,
          label: `The fleet’s ${describeSelection({ kind: 'filter', filter: fleetFilter }).replace(/^fleet /, '')}`,
        },
        ...SELECTIONS,
      ]
    : SELECTIONS;
  const [names, setNames] = useState('');
  const [algorithm, setAlgorithm] = useState<'keep' | SigningAlg>('keep');
  const [includeNotReady, setIncludeNotReady] = useState(false);
  const [confirmation, setConfirmation] = useState('');
  const request = () => ({
    selection:
      kind === 'names'
        ? {
            kind,
            names: names
              .split(/\r?\n|,/)
              .map((name) => name.trim())
              .filter(Boolean),
          }
        : kind === 'filter' && fleetFilter
          ? { kind, filter: fleetFilter }
          : { kind: kind === 'filter' ? ('overdue' as const) : kind },
    algorithm,
    includeNotReady,
  });
  const plan = useMutation({
    mutationFn: async (): Promise<Plan> => {
      const result = await planCampaignAction({ tenant: tenant.slug, ...request() });
      if (!result.ok) throw new Error(result.message);
      return result.data;
    },
    onSuccess: () => setConfirmation(''),
  });
  const start = useMutation({
    mutationFn: async (shown: Plan) => {
      const result = await startCampaignAction({
        tenant: tenant.slug,
        ...request(),
        digest: shown.digest,
        confirmation,
      });
      if (!result.ok) throw new Error(result.message);
      return result.data;
    },
    onSuccess: (campaignId) => router.push(tenant.href(`/campaigns/${campaignId}`)),
  });
  // A change to the choice makes the plan shown stale: it must be made again.
  const changed = () => {
    plan.reset();
    start.reset();
  };
  const shown = plan.data;
  return (
    <section aria-labelledby={`${id}-title`} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id={`${id}-title`} className="text-base font-semibold text-slate-900">
        New campaign
      </h2>
      <form
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          if (!plan.isPending) plan.mutate();
        }}
      >
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-900">Connections</legend>
          {selections.map((option) => (
            <label key={option.kind} className="flex items-start gap-2 text-sm text-slate-800">
              <input
                type="radio"
                name={`${id}-selection`}
                value={option.kind}
                checked={kind === option.kind}
                onChange={() => {
                  setKind(option.kind);
                  changed();
                }}
                className="mt-0.5"
              />
              {option.label}
            </label>
          ))}
          {kind === 'names' ? (
            <textarea
              aria-label="Connection names"
              value={names}
              onChange={(event) => {
                setNames(event.target.value);
                changed();
              }}
              rows={4}
              placeholder={'okta-acme\nokta-initech'}
              className="w-full max-w-md rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm"
            />
          ) : null}
        </fieldset>
        <div className="space-y-1">
          <label htmlFor={`${id}-algorithm`} className="block text-sm font-medium text-slate-900">
            Signing algorithm
          </label>
          <select
            id={`${id}-algorithm`}
            value={algorithm}
            onChange={(event) => {
              setAlgorithm(event.target.value as 'keep' | SigningAlg);
              changed();
            }}
            className="rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          >
            <option value="keep">Keep each connection’s current algorithm</option>
            {SIGNING_ALG_VALUES.map((value) => (
              <option key={value} value={value}>
                {value} for every connection
              </option>
            ))}
          </select>
        </div>
        <label className="flex items-start gap-2 text-sm text-slate-800">
          <input
            type="checkbox"
            checked={includeNotReady}
            onChange={(event) => {
              setIncludeNotReady(event.target.checked);
              changed();
            }}
            className="mt-0.5"
          />
          <span>
            Also rotate connections whose IdP is not known to trust the next key. Sign-ins through each of them will
            fail until its IdP trusts that key.
          </span>
        </label>
        <button
          type="submit"
          disabled={plan.isPending}
          className="rounded-md bg-white px-4 py-1.5 text-sm font-medium text-indigo-700 ring-1 ring-indigo-300 hover:bg-indigo-50 disabled:opacity-60"
        >
          {plan.isPending ? 'Planning…' : 'Show the plan'}
        </button>
        <p aria-live="polite" className="text-sm text-red-700">
          {plan.isError ? plan.error.message : null}
        </p>
      </form>
      {shown ? (
        <PlanReview
          plan={shown}
          confirmation={confirmation}
          onConfirmation={setConfirmation}
          starting={start.isPending}
          error={start.isError ? start.error.message : null}
          onStart={() => start.mutate(shown)}
          production={tenant.environment === 'production'}
          environment={tenant.environment}
        />
      ) : null}
    </section>
  );
}

function PlanReview({
  plan,
  confirmation,
  onConfirmation,
  starting,
  error,
  onStart,
  production,
  environment,
}: {
  plan: Plan;
  confirmation: string;
  onConfirmation(value: string): void;
  starting: boolean;
  error: string | null;
  onStart(): void;
  production: boolean;
  environment: 'development' | 'staging' | 'production';
}) {
  const id = useId();
  const estimate =
    plan.estimateSeconds === null
      ? 'The time it takes depends on the tenant’s rate limit, which Keyshift learns as it goes.'
      : `About ${formatDuration(plan.estimateSeconds)} at the campaign’s share of the rate limit (${plan.requests} requests).`;
  return (
    <section aria-label="Plan" className="space-y-3 border-t border-slate-200 pt-4">
      <p className="text-sm text-slate-800" data-testid="plan-summary">
        <strong>{plan.rotating}</strong> to rotate, <strong>{plan.skipped}</strong> skipped ({plan.selection}).{' '}
        {estimate}
      </p>
      {plan.unknownNames.length > 0 ? (
        <p className="text-sm [overflow-wrap:anywhere] text-amber-900">
          Not key-capable connections of this tenant (left out): {plan.unknownNames.join(', ')}
        </p>
      ) : null}
      {plan.tooMany ? <p className="text-sm text-red-700">A campaign takes at most 1000 connections.</p> : null}
      {plan.items.length > 0 ? (
        <div className="max-h-96 overflow-auto rounded-md border border-slate-200">
          <table className="w-full text-left text-sm">
            <thead className="sticky top-0 bg-slate-50 text-xs text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">
                  Connection
                </th>
                <th scope="col" className="hidden px-3 py-2 font-medium sm:table-cell">
                  Readiness
                </th>
                <th scope="col" className="hidden px-3 py-2 font-medium sm:table-cell">
                  Algorithm
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  What happens
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {plan.items.map((item) => (
                <tr key={item.connectionId} data-action={item.action}>
                  <td className="px-3 py-2 align-top">
                    <span className="font-medium [overflow-wrap:anywhere] text-slate-900">{item.name}</span>
                    <span className="mt-1 block sm:hidden">
                      <ReadinessBadge readiness={{ state: item.readiness, reason: item.readinessReason }} compact />
                    </span>
                  </td>
                  <td className="hidden px-3 py-2 align-top sm:table-cell">
                    <ReadinessBadge readiness={{ state: item.readiness, reason: item.readinessReason }} compact />
                  </td>
                  <td className="hidden px-3 py-2 align-top text-slate-700 sm:table-cell">{item.algorithm ?? '—'}</td>
                  <td
                    className={`px-3 py-2 align-top ${item.action.startsWith('skip') ? 'text-slate-600' : item.action === 'rotate_acknowledged' ? 'text-amber-900' : 'text-slate-900'}`}
                  >
                    {ACTIONS[item.action]}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="text-sm text-slate-600">No connection matches this choice.</p>
      )}
      {plan.rotating > 0 && !plan.tooMany ? (
        <form
          className="space-y-2"
          onSubmit={(event) => {
            event.preventDefault();
            if (!starting && confirmation.trim() === plan.phrase) onStart();
          }}
        >
          <label htmlFor={`${id}-confirm`} className="block text-sm text-slate-800">
            {production ? <EnvironmentBadge environment={environment} /> : null} Type{' '}
            <strong className="font-mono">{plan.phrase}</strong> to start.
          </label>
          <input
            id={`${id}-confirm`}
            value={confirmation}
            onChange={(event) => onConfirmation(event.target.value)}
            autoComplete="off"
            spellCheck={false}
            className="w-full max-w-md rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm"
          />
          <div>
            <button
              type="submit"
              disabled={starting || confirmation.trim() !== plan.phrase}
              className="rounded-md bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
            >
              {starting ? 'Starting…' : `Start: rotate ${plan.rotating}`}
            </button>
          </div>
          <p aria-live="polite" className="text-sm text-red-700">
            {error}
          </p>
        </form>
      ) : null}
    </section>
  );
}
