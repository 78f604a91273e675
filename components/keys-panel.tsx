'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Suspense, useId, useRef, useState } from 'react';
import { listKeysAction, provisionKeysAction } from '@/app/(dashboard)/[tenant]/connections/[id]/actions';
import type { ConnectionDetail } from '@/lib/auth0/types';
import { unwrap } from '@/lib/browser/action-result';
import { onDemand } from '@/lib/browser/on-demand';
import {
  DEFAULT_SIGNING_ALG,
  isSigningAlg,
  SIGNING_ALGORITHM_LIST,
  type SigningAlg,
} from '@/lib/certs/signing-algorithms';
import { keysQueryKey } from '@/lib/keys/query-key';
import type { KeyView } from '@/lib/keys/types';
import type { ShownKids } from '@/lib/rotation/precondition';
import type { RotationView } from '@/lib/rotation/view';
import { ErrorPanel } from './error-panel';
import { KeysTable } from './keys-table';
import { SignInWatch } from './sign-in-watch';
import { useTenant } from './tenant-context';

// Neither is needed to read the keys: their code (and the dialog library) loads when an operator reaches for them.
const RotateDialog = onDemand(() => import('./rotate-dialog').then((module) => module.RotateDialog));
const RotationResult = onDemand(() => import('./rotation-result').then((module) => module.RotationResult));

function RotateControl({
  connection,
  defaultAlg,
  shownKids,
  onRotated,
}: {
  connection: ConnectionDetail;
  defaultAlg: SigningAlg;
  shownKids: ShownKids;
  onRotated: (rotation: RotationView) => void;
}) {
  const button = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState(false);
  // Mounted from the first opening on, so a rotation still running keeps its state when the dialog closes.
  const [wanted, setWanted] = useState(false);
  const preload = () => {
    RotateDialog.preload();
    RotationResult.preload();
  };
  return (
    <>
      <button
        ref={button}
        type="button"
        aria-haspopup="dialog"
        aria-expanded={open}
        onPointerEnter={preload}
        onFocus={preload}
        onClick={() => {
          setWanted(true);
          setOpen(true);
        }}
        className="rounded-md bg-amber-700 px-4 py-2 text-sm font-medium text-white shadow-xs hover:bg-amber-600"
      >
        Rotate keys
      </button>
      {wanted ? (
        <Suspense fallback={null}>
          <RotateDialog.Component
            connectionId={connection.id}
            connectionName={connection.name}
            defaultAlg={defaultAlg}
            shownKids={shownKids}
            open={open}
            setOpen={setOpen}
            returnFocusTo={button}
            onRotated={onRotated}
          />
        </Suspense>
      ) : null}
    </>
  );
}

function ProvisionForm({ connectionId }: { connectionId: string }) {
  const tenant = useTenant();
  const id = useId();
  const queryClient = useQueryClient();
  const [signingAlg, setSigningAlg] = useState<SigningAlg>(DEFAULT_SIGNING_ALG);
  const provision = useMutation({
    mutationFn: () => unwrap(provisionKeysAction({ tenant: tenant.slug, connectionId, signingAlg })),
    onSuccess: (keys) => queryClient.setQueryData(keysQueryKey(connectionId), keys),
  });
  return (
    <form
      className="mt-4 flex flex-wrap items-end justify-center gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        if (!provision.isPending) provision.mutate();
      }}
    >
      <div className="flex flex-col gap-1 text-left">
        <label htmlFor={id} className="text-xs font-medium text-slate-600">
          Signing algorithm
        </label>
        <select
          id={id}
          value={signingAlg}
          onChange={(event) => setSigningAlg(event.target.value as SigningAlg)}
          className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
        >
          {SIGNING_ALGORITHM_LIST.map((alg) => (
            <option key={alg.value} value={alg.value}>
              {alg.value} — {alg.description}
            </option>
          ))}
        </select>
      </div>
      <button
        type="submit"
        disabled={provision.isPending}
        className="rounded-md bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
      >
        {provision.isPending ? 'Provisioning…' : 'Provision keys'}
      </button>
      <div aria-live="polite" className="basis-full text-sm text-red-700">
        {provision.error?.message}
      </div>
    </form>
  );
}

export function KeysPanel({
  connection,
  initialKeys,
  initialError,
  canProvision,
  canRotate,
  canHandOff,
  jwksUrl,
}: {
  connection: ConnectionDetail;
  /** The connection's public JWKS on the tenant's domain, which only the server knows. */
  jwksUrl: string;
  initialKeys: KeyView[] | undefined;
  initialError: string | null;
  canProvision: boolean;
  canRotate: boolean;
  canHandOff: boolean;
}) {
  const tenant = useTenant();
  const [rotation, setRotation] = useState<RotationView | null>(null);
  const query = useQuery({
    queryKey: keysQueryKey(connection.id),
    queryFn: () => unwrap(listKeysAction({ tenant: tenant.slug, connectionId: connection.id })),
    initialData: initialKeys,
    enabled: connection.keyCapable && initialError === null,
  });

  if (!connection.keyCapable) {
    return (
      <div className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-700">
        <p className="font-medium text-slate-900">This connection has no signing keys.</p>
        <p className="mt-1">{connection.keysUnsupportedReason}</p>
      </div>
    );
  }
  // Keys already on screen stay there when a refresh fails: replacing them would also unmount the rotate dialog,
  // and with it the sentence saying how a rotation just ended (a fault that fails the rotation fails the refresh too).
  const error = query.data ? null : (query.error?.message ?? initialError);
  if (error) {
    return (
      <ErrorPanel
        title="The keys could not be loaded"
        message={error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  }
  const keys = query.data ?? [];
  if (keys.length === 0) {
    return (
      <div className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-700">
        <p className="font-medium text-slate-900">No keys have been provisioned yet.</p>
        <p className="mt-1">
          Auth0 creates a current and a next key when they are provisioned.
          {canProvision ? '' : ' Someone with the rotator role can provision them.'}
        </p>
        {canProvision ? <ProvisionForm connectionId={connection.id} /> : null}
      </div>
    );
  }
  const current = keys.find((key) => key.current);
  const next = keys.find((key) => key.next);
  const currentAlg = current?.algorithm;
  return (
    <div className="space-y-4">
      {canRotate ? (
        <div className="flex items-center justify-between gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
          <p className="text-sm text-slate-700">
            Rotating revokes the current key at once, promotes the next key and generates a new next key.
          </p>
          {current && next ? (
            <RotateControl
              connection={connection}
              defaultAlg={isSigningAlg(currentAlg) ? currentAlg : DEFAULT_SIGNING_ALG}
              shownKids={{ expectedCurrentKid: current.kid, expectedNextKid: next.kid }}
              onRotated={setRotation}
            />
          ) : (
            <p className="text-sm text-slate-600">Rotation needs a current and a next key.</p>
          )}
        </div>
      ) : null}
      {rotation ? (
        <Suspense fallback={<p className="text-sm text-slate-600">Keys rotated; showing the new key…</p>}>
          <RotationResult.Component rotation={rotation} canHandOff={canHandOff} onDismiss={() => setRotation(null)} />
        </Suspense>
      ) : null}
      {query.error ? (
        <ErrorPanel
          title="The keys could not be refreshed; they are shown as last read"
          message={query.error.message}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      ) : null}
      <KeysTable keys={keys} connectionName={connection.name} jwksUrl={jwksUrl} />
      {/* The result panel shows the watch of a rotation made here; one watch on screen at a time. */}
      {rotation ? null : <SignInWatch connectionId={connection.id} jwksUrl={jwksUrl} canHandOff={canHandOff} />}
    </div>
  );
}
