'use client';

import * as Dialog from '@radix-ui/react-dialog';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { type RefObject, useId, useRef, useState } from 'react';
import { devFirstAction, rotateKeysAction } from '@/app/(dashboard)/[tenant]/connections/[id]/actions';
import { auditQueryKeys } from '@/lib/audit/view/query-keys';
import { ActionFailedError, unwrap } from '@/lib/browser/action-result';
import { SIGNING_ALGORITHM_LIST, SIGNING_ALGORITHMS, type SigningAlg } from '@/lib/certs/signing-algorithms';
import { idpQueryKey } from '@/lib/idp/query-key';
import type { Readiness } from '@/lib/idp/readiness';
import { keysQueryKey } from '@/lib/keys/query-key';
import type { DevFirstNotice } from '@/lib/rotation/dev-first';
import type { ShownKids } from '@/lib/rotation/precondition';
import type { AcknowledgeableReadiness } from '@/lib/rotation/types';
import type { RotationView } from '@/lib/rotation/view';
import { EnvironmentBadge } from './environment-badge';
import { useIdpReadiness } from './hooks/use-idp-status';
import { ReadinessBadge } from './readiness-badge';
import { useTenant } from './tenant-context';

/**
 * Failures after which the keys are certainly as the operator confirmed them (the request never got past the checks):
 * the same click may be offered again. After any other (the keys changed, another rotation, an unknown outcome, a
 * timeout) the keys are read again and the operator confirms afresh against what is there now.
 */
const KEYS_UNTOUCHED = new Set(['invalid_input', 'unauthenticated', 'forbidden']);

/**
 * The rotate dialog, controlled by the "Rotate keys" button in the keys panel (which lives outside it, so that this
 * module and the dialog library load only when an operator opens it). Closing returns focus to that button.
 */
/** Whether the IdP already trusts the key this rotation makes current; while it is being read, says so. */
function IdpReadinessLine({ readiness }: { readiness: Readiness | null }) {
  return (
    <p className="mt-3 flex flex-wrap items-center gap-2 text-sm text-slate-700" aria-live="polite">
      <span className="font-medium">Identity provider:</span>
      {readiness ? (
        <ReadinessBadge readiness={readiness} compact />
      ) : (
        <span className="text-slate-500">Checking whether it trusts the next key…</span>
      )}
    </p>
  );
}

/** Which tenant this rotation is in, in words and colour; a production tenant says what is at stake. */
function TenantLine({ tenant }: { tenant: ReturnType<typeof useTenant> }) {
  const production = tenant.environment === 'production';
  return (
    <div
      data-testid="rotate-tenant"
      className={`mt-3 rounded-md px-3 py-2 text-sm ${production ? 'bg-red-50 text-red-900 ring-1 ring-red-300' : 'bg-slate-50 text-slate-700'}`}
    >
      <span className="flex flex-wrap items-center gap-2">
        <EnvironmentBadge environment={tenant.environment} />
        <span>
          Tenant <strong>{tenant.name}</strong> <span className="font-mono text-xs">({tenant.domain})</span>
        </span>
      </span>
      {production ? <p className="mt-1">This is production: real users sign in through this connection.</p> : null}
    </div>
  );
}

function daysSince(iso: string): number {
  return Math.floor((Date.now() - Date.parse(iso)) / 86_400_000);
}

/** Production only: the same connection in development or staging, not rotated there lately. */
function DevFirstNotices({ notices, connectionName }: { notices: DevFirstNotice[]; connectionName: string }) {
  if (notices.length === 0) return null;
  return (
    <div
      role="note"
      data-testid="dev-first"
      className="mt-3 space-y-1 rounded-md bg-amber-50 p-3 text-sm text-amber-950 ring-1 ring-amber-300"
    >
      <p className="font-medium">Rotate in development first?</p>
      {notices.map((notice) => (
        <p key={notice.tenant.slug}>
          {connectionName} also exists in{' '}
          <Link
            prefetch={false}
            href={`/${notice.tenant.slug}/connections/${notice.connectionId}`}
            className="font-medium underline"
          >
            {notice.tenant.name}
          </Link>{' '}
          ({notice.tenant.environment}), where it{' '}
          {notice.lastRotatedAt
            ? `was last rotated ${daysSince(notice.lastRotatedAt)} days ago (more than ${notice.days})`
            : 'has never been rotated'}
          . Rotating it there first shows that sign-ins survive the new key.
        </p>
      ))}
    </div>
  );
}

/** Readiness that could not be read counts as unknown, as it does on the server: the gate fails closed. */
const UNREADABLE: Readiness = {
  state: 'unknown',
  reason: 'Keyshift could not read how this connection’s IdP learns keys.',
};

/** What the operator acknowledged rotating past: the state and the kid it was shown for. */
type Acknowledgment = { state: AcknowledgeableReadiness; kid: string } | null;

export function RotateDialog({
  connectionId,
  connectionName,
  defaultAlg,
  shownKids,
  open,
  setOpen,
  returnFocusTo,
  onRotated,
}: {
  connectionId: string;
  connectionName: string;
  defaultAlg: SigningAlg;
  /** The keys the page shows now: what the operator confirms against, and what the server checks before rotating. */
  shownKids: ShownKids;
  open: boolean;
  setOpen: (open: boolean) => void;
  returnFocusTo: RefObject<HTMLButtonElement | null>;
  onRotated: (rotation: RotationView) => void;
}) {
  const tenant = useTenant();
  const id = useId();
  const queryClient = useQueryClient();
  const [signingAlg, setSigningAlg] = useState<SigningAlg>(defaultAlg);
  const [confirmName, setConfirmName] = useState('');
  // Set after a failure that may have moved the keys: the name typed before no longer confirms anything.
  const [mustReconfirm, setMustReconfirm] = useState(false);
  // State updates are not synchronous: a second click in the same frame must find the door already shut.
  const inFlight = useRef(false);
  const idp = useIdpReadiness(connectionId, shownKids.expectedNextKid);
  const devFirst = useQuery({
    queryKey: ['dev-first', connectionId],
    queryFn: () => unwrap(devFirstAction({ tenant: tenant.slug, connectionId })),
    enabled: open && tenant.environment === 'production',
    staleTime: 60_000,
  });
  const readiness = idp.readiness ?? (idp.query.isError ? UNREADABLE : null);
  const gated = readiness !== null && readiness.state !== 'ready';
  const [acknowledgment, setAcknowledgment] = useState<Acknowledgment>(null);
  // An acknowledgment holds only for the state and the key it was given for: new keys or a new state void it.
  const acknowledged =
    readiness !== null &&
    readiness.state !== 'ready' &&
    acknowledgment?.state === readiness.state &&
    acknowledgment.kid === shownKids.expectedNextKid;
  const rotate = useMutation({
    mutationFn: () =>
      unwrap(
        rotateKeysAction({
          tenant: tenant.slug,
          connectionId,
          signingAlg,
          confirmName,
          ...shownKids,
          ...(acknowledged && acknowledgment ? { acknowledgedReadiness: acknowledgment.state } : {}),
        }),
      ),
    onSuccess: (rotation) => {
      onRotated(rotation);
      setOpen(false);
      setConfirmName('');
    },
    onError: (error) => {
      if (error instanceof ActionFailedError && error.code === 'not_ready') {
        // Readiness changed since it was shown: read it again and ask for an acknowledgment of what it is now.
        setAcknowledgment(null);
        void queryClient.invalidateQueries({ queryKey: idpQueryKey(connectionId, shownKids.expectedNextKid) });
        return;
      }
      if (error instanceof ActionFailedError && KEYS_UNTOUCHED.has(error.code)) return;
      setConfirmName('');
      setMustReconfirm(true);
    },
    onSettled: () => {
      inFlight.current = false;
      // Whatever happened, show what Auth0 now has, not what we expected.
      void queryClient.invalidateQueries({ queryKey: keysQueryKey(connectionId) });
      void queryClient.invalidateQueries({ queryKey: auditQueryKeys.all });
    },
  });
  const matches = confirmName === connectionName;
  // No rotating past a gate that has not loaded: the button waits for readiness, and for the acknowledgment it needs.
  const canRotate = matches && readiness !== null && (!gated || acknowledged);
  const info = SIGNING_ALGORITHMS[signingAlg];

  // Each opening starts afresh: the algorithm of the current key, nothing typed, and no earlier error.
  const [wasOpen, setWasOpen] = useState(open);
  // Keys that change while the dialog is open (a refresh, a failed rotation) void the confirmation typed against them.
  const [confirmedAgainst, setConfirmedAgainst] = useState(shownKids);
  const [keysMoved, setKeysMoved] = useState(false);
  const sameKids =
    confirmedAgainst.expectedCurrentKid === shownKids.expectedCurrentKid &&
    confirmedAgainst.expectedNextKid === shownKids.expectedNextKid;
  if (!sameKids) {
    setConfirmedAgainst(shownKids);
    if (open) {
      setConfirmName('');
      setKeysMoved(true);
    }
  }
  if (open !== wasOpen) {
    setWasOpen(open);
    if (open) {
      setSigningAlg(defaultAlg);
      setConfirmName('');
      setKeysMoved(false);
      setMustReconfirm(false);
      setAcknowledgment(null);
    }
  }

  return (
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        if (rotate.isPending) return;
        if (!next) rotate.reset();
        setOpen(next);
      }}
    >
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <Dialog.Content
          className="fixed top-1/2 left-1/2 z-50 max-h-[calc(100dvh-2rem)] w-[min(36rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-xl bg-white p-6 shadow-xl"
          onInteractOutside={(event) => {
            if (rotate.isPending) event.preventDefault();
          }}
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            returnFocusTo.current?.focus();
          }}
        >
          <Dialog.Title className="text-lg font-semibold">Rotate the keys of {connectionName}</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-slate-600">
            Choose the algorithm of the new key, read what will happen, then confirm.
          </Dialog.Description>
          <TenantLine tenant={tenant} />
          <DevFirstNotices notices={devFirst.data ?? []} connectionName={connectionName} />
          <IdpReadinessLine readiness={readiness} />
          <form
            className="mt-5 space-y-5"
            onSubmit={(event) => {
              event.preventDefault();
              if (!canRotate || inFlight.current) return;
              inFlight.current = true;
              setMustReconfirm(false);
              rotate.mutate();
            }}
          >
            <div className="space-y-1">
              <label htmlFor={`${id}-alg`} className="block text-sm font-medium text-slate-800">
                Signing algorithm
              </label>
              <select
                id={`${id}-alg`}
                value={signingAlg}
                disabled={rotate.isPending}
                onChange={(event) => setSigningAlg(event.target.value as SigningAlg)}
                aria-describedby={`${id}-alg-help`}
                className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
              >
                {SIGNING_ALGORITHM_LIST.map((alg) => (
                  <option key={alg.value} value={alg.value}>
                    {alg.value} — {alg.description}
                  </option>
                ))}
              </select>
              <p id={`${id}-alg-help`} className="text-xs text-slate-600">
                The new key will be {info.key}, signing with {info.description}.
              </p>
            </div>
            <div className="rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm text-amber-950">
              <p className="font-medium">What will happen</p>
              <ul className="mt-2 list-disc space-y-1 pl-5">
                <li>
                  The <strong>current key</strong> (
                  <span className="font-mono break-all">{shownKids.expectedCurrentKid}</span>){' '}
                  <strong>is revoked at once</strong>: tokens and assertions signed with it stop working immediately,
                  including those in flight.
                </li>
                <li>
                  The next key (<span className="font-mono break-all">{shownKids.expectedNextKid}</span>) becomes the
                  current key.
                </li>
                <li>A new next key ({signingAlg}) is generated and published in the connection’s JWKS.</li>
              </ul>
            </div>
            <div className="space-y-1">
              <label htmlFor={`${id}-confirm`} className="block text-sm font-medium text-slate-800">
                Type <span className="font-mono break-all">{connectionName}</span> to confirm
              </label>
              <input
                id={`${id}-confirm`}
                value={confirmName}
                disabled={rotate.isPending}
                onChange={(event) => setConfirmName(event.target.value)}
                autoComplete="off"
                spellCheck={false}
                aria-invalid={confirmName !== '' && !matches}
                aria-describedby={`${id}-confirm-help`}
                className="w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm"
              />
              <p id={`${id}-confirm-help`} className="text-xs text-slate-600" aria-live="polite">
                {confirmName !== '' && !matches ? 'The name does not match yet.' : ' '}
              </p>
            </div>
            {gated ? (
              <div className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-950">
                <div className="flex items-start gap-3">
                  <input
                    id={`${id}-ack`}
                    type="checkbox"
                    checked={acknowledged}
                    disabled={rotate.isPending}
                    onChange={(event) =>
                      setAcknowledgment(
                        event.target.checked ? { state: readiness.state, kid: shownKids.expectedNextKid } : null,
                      )
                    }
                    aria-describedby={`${id}-ack-reason`}
                    className="mt-0.5 size-4 shrink-0 accent-red-600"
                  />
                  <div className="space-y-1">
                    <label htmlFor={`${id}-ack`} className="block font-medium">
                      I understand that sign-ins through {connectionName} will fail until its identity provider trusts
                      key <span className="font-mono break-all">{shownKids.expectedNextKid}</span>
                    </label>
                    <p id={`${id}-ack-reason`}>
                      {readiness.state === 'unknown' ? 'Readiness is unknown' : 'The identity provider is not ready'}:{' '}
                      {readiness.reason}
                    </p>
                  </div>
                </div>
              </div>
            ) : null}
            {keysMoved && !rotate.error ? (
              <p role="status" className="rounded-md border border-sky-200 bg-sky-50 p-3 text-sm text-sky-950">
                The keys changed while this dialog was open. Check them, then type the name again to confirm.
              </p>
            ) : null}
            {rotate.error ? (
              <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
                <p className="font-medium">The keys were not rotated as asked.</p>
                <p className="mt-1">{rotate.error.message}</p>
                {mustReconfirm ? (
                  <p className="mt-1">The keys shown above were read again: type the name to confirm against them.</p>
                ) : null}
              </div>
            ) : null}
            <div className="flex justify-end gap-3">
              <Dialog.Close
                disabled={rotate.isPending}
                className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50"
              >
                Cancel
              </Dialog.Close>
              <button
                type="submit"
                disabled={!canRotate || rotate.isPending}
                aria-busy={rotate.isPending}
                className="rounded-md bg-red-600 px-4 py-2 text-sm font-medium text-white shadow-xs hover:bg-red-500 disabled:cursor-not-allowed disabled:opacity-50"
              >
                {rotate.isPending ? 'Rotating…' : 'Rotate keys'}
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
