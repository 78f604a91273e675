'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { listKeysAction } from '@/app/(dashboard)/[tenant]/connections/[id]/actions';
import { confirmNextKeyAction } from '@/app/(dashboard)/[tenant]/connections/[id]/idp/actions';
import { unwrap } from '@/lib/browser/action-result';
import { formatDuration } from '@/lib/idp/readiness';
import type { IdpStatus } from '@/lib/idp/types';
import { keysQueryKey } from '@/lib/keys/query-key';
import type { KeyView } from '@/lib/keys/types';
import { useIdpReadiness } from './hooks/use-idp-status';
import { IdpSettingsForm, MODE_LABELS } from './idp-settings-form';
import { ReadinessBadge } from './readiness-badge';
import { useTenant } from './tenant-context';

function ConfirmNextKey({ connectionId, nextKid }: { connectionId: string; nextKid: string }) {
  const tenant = useTenant();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const confirm = useMutation({
    mutationFn: () => unwrap(confirmNextKeyAction({ tenant: tenant.slug, connectionId, kid: nextKid })),
    onSuccess: async () => {
      setAsking(false);
      await queryClient.invalidateQueries({ queryKey: ['idp', connectionId] });
    },
  });
  return (
    <div className="space-y-2">
      {asking ? (
        <fieldset className="rounded-md bg-slate-50 p-3">
          <legend className="sr-only">Confirm the IdP admin’s answer</legend>
          <p className="text-sm text-slate-800">
            Has the IdP admin confirmed that the IdP trusts key <code className="break-all">{nextKid}</code>? This is
            recorded in the audit trail under your name.
          </p>
          <div className="mt-2 flex flex-wrap gap-2">
            <button
              type="button"
              disabled={confirm.isPending}
              onClick={() => confirm.mutate()}
              className="rounded-md bg-emerald-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-emerald-600 disabled:opacity-60"
            >
              {confirm.isPending ? 'Recording…' : 'Yes, record the confirmation'}
            </button>
            <button
              type="button"
              onClick={() => {
                setAsking(false);
                opener.current?.focus();
              }}
              className="rounded-md px-3 py-1.5 text-sm text-slate-700 ring-1 ring-slate-300 hover:bg-white"
            >
              Cancel
            </button>
          </div>
        </fieldset>
      ) : (
        <button
          ref={opener}
          type="button"
          onClick={() => setAsking(true)}
          className="max-w-full rounded-md px-3 py-1.5 text-left text-sm font-medium text-indigo-700 ring-1 ring-indigo-300 hover:bg-indigo-50"
        >
          Record that the IdP admin confirmed key <span className="break-all">{nextKid}</span>
        </button>
      )}
      <p aria-live="polite" className="text-sm text-red-700">
        {confirm.error?.message}
      </p>
    </div>
  );
}

/** How the connection's IdP learns keys and whether it trusts the next key yet; rotators edit it here. */
export function IdpPanel({
  connectionId,
  initialKeys,
  initialStatus,
  canConfigure,
}: {
  connectionId: string;
  initialKeys: KeyView[] | undefined;
  initialStatus: IdpStatus | undefined;
  canConfigure: boolean;
}) {
  const tenant = useTenant();
  const [editing, setEditing] = useState(false);
  // The keys panel owns this query; reading it here follows its rotations and refreshes.
  const keys = useQuery({
    queryKey: keysQueryKey(connectionId),
    queryFn: () => unwrap(listKeysAction({ tenant: tenant.slug, connectionId })),
    initialData: initialKeys,
    enabled: false,
  });
  const nextKid = keys.data?.find((key) => key.next)?.kid ?? null;
  const initialNextKid = initialKeys?.find((key) => key.next)?.kid ?? null;
  const { query, status, readiness } = useIdpReadiness(
    connectionId,
    nextKid,
    initialStatus ? { nextKid: initialNextKid, status: initialStatus } : undefined,
  );

  if (!status || !readiness) {
    return (
      <p aria-live="polite" className="text-sm text-slate-600">
        {query.error ? `The IdP setting could not be loaded: ${query.error.message}` : 'Loading…'}
      </p>
    );
  }
  const { setting } = status;
  return (
    <div className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="font-medium text-slate-600">Learns keys</dt>
        <dd className="text-slate-900">{MODE_LABELS[setting.mode]}</dd>
        {setting.mode === 'jwks_url' ? (
          <>
            <dt className="font-medium text-slate-600">JWKS cache time</dt>
            <dd className="text-slate-900">{formatDuration(setting.cacheSeconds * 1000)}</dd>
          </>
        ) : null}
        <dt className="font-medium text-slate-600">Readiness</dt>
        <dd aria-live="polite" className="min-w-0">
          <ReadinessBadge readiness={readiness} />
        </dd>
      </dl>
      {canConfigure && setting.mode === 'pasted' && nextKid && readiness.state !== 'ready' && !editing ? (
        <ConfirmNextKey connectionId={connectionId} nextKid={nextKid} />
      ) : null}
      {canConfigure ? (
        editing ? (
          <IdpSettingsForm connectionId={connectionId} setting={setting} onDone={() => setEditing(false)} />
        ) : (
          <button
            type="button"
            onClick={() => setEditing(true)}
            className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50"
          >
            Edit IdP settings
          </button>
        )
      ) : null}
    </div>
  );
}
