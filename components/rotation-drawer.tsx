'use client';

import * as Dialog from '@radix-ui/react-dialog';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { type ReactNode, useRef } from 'react';
import { rotationDetailAction } from '@/app/(dashboard)/[tenant]/audit/actions';
import { absoluteTime, actorLabel, formatDuration } from '@/lib/audit/view/format';
import {
  campaignIdOf,
  describeOverride,
  type ReadinessOverrideView,
  readinessOverrideOf,
} from '@/lib/audit/view/override';
import { AUDIT_REFRESH_MS, auditQueryKeys } from '@/lib/audit/view/query-keys';
import type { AuditEventView, RotationRowView } from '@/lib/audit/view/types';
import { unwrap } from '@/lib/browser/action-result';
import { ErrorPanel } from './error-panel';
import { OutcomeBadge } from './outcome-badge';
import { RelativeTime } from './relative-time';
import { useTenant } from './tenant-context';

const MONO = 'font-mono text-xs break-all';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[10rem_1fr] gap-3 py-1.5">
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className="min-w-0 text-sm text-slate-900">{children}</dd>
    </div>
  );
}

const orDash = (value: ReactNode) => (value === null || value === undefined || value === '' ? '—' : value);

function When({ iso, serverNow }: { iso: string | null; serverNow: number }) {
  if (!iso) return <>—</>;
  return (
    <>
      {absoluteTime(iso)} <span className="text-slate-500">(</span>
      <RelativeTime iso={iso} serverNow={serverNow} className="text-slate-500" />
      <span className="text-slate-500">)</span>
    </>
  );
}

function RotationFacts({
  row,
  serverNow,
  override,
  campaignId,
}: {
  row: RotationRowView;
  serverNow: number;
  override: ReadinessOverrideView | null;
  campaignId: string | null;
}) {
  const tenant = useTenant();
  const external = row.outcome === 'external';
  return (
    <dl className="divide-y divide-slate-100">
      <Fact label="Outcome">
        <OutcomeBadge outcome={row.outcome} />
      </Fact>
      {override ? (
        <Fact label="Readiness override">
          <span className="text-amber-900">{describeOverride(override)}</span>
        </Fact>
      ) : null}
      {campaignId ? (
        <Fact label="Campaign">
          <Link
            prefetch={false}
            href={tenant.href(`/campaigns/${campaignId}`)}
            className="text-indigo-700 hover:underline"
          >
            Part of a campaign
          </Link>
        </Fact>
      ) : null}
      <Fact label="Connection">
        {row.connectionId ? (
          <Link
            prefetch={false}
            href={tenant.href(`/connections/${row.connectionId}`)}
            className="text-indigo-700 hover:underline"
          >
            {row.connectionName ?? row.connectionId}
          </Link>
        ) : (
          '—'
        )}
        <div className={`${MONO} text-slate-600`}>{row.connectionId}</div>
      </Fact>
      <Fact label="Actor">{actorLabel(row)}</Fact>
      <Fact label="Actor email">{orDash(row.actorEmail)}</Fact>
      <Fact label={external ? 'Client id' : 'Actor subject'}>
        <span className={MONO}>{orDash(row.actorSub)}</span>
      </Fact>
      <Fact label="Algorithm">{orDash(row.algorithm)}</Fact>
      <Fact label="New kid">
        <span className={MONO}>{orDash(row.newKid)}</span>
      </Fact>
      <Fact label="New fingerprint">
        <span className={MONO}>{orDash(row.newFingerprint)}</span>
      </Fact>
      <Fact label="Revoked kid">
        <span className={MONO}>{orDash(row.previousKid)}</span>
      </Fact>
      <Fact label={external ? 'Rotated at (Auth0 log)' : 'Requested at'}>
        <When iso={row.happenedAt} serverNow={serverNow} />
      </Fact>
      <Fact label="Recorded at">
        <When iso={row.recordedAt} serverNow={serverNow} />
      </Fact>
      <Fact label="Settled at">
        <When iso={row.settledAt} serverNow={serverNow} />
      </Fact>
      <Fact label="Duration">{formatDuration(row.durationMs)}</Fact>
      <Fact label="HTTP status">{orDash(row.status)}</Fact>
      <Fact label="Error code">
        <span className={MONO}>{orDash(row.errorCode)}</span>
      </Fact>
      <Fact label="Message">{orDash(row.message)}</Fact>
      <Fact label="Request id">
        <span className={MONO}>{orDash(row.requestId)}</span>
      </Fact>
      <Fact label="Tenant">
        <span className={MONO}>{orDash(row.tenant)}</span>
      </Fact>
      <Fact label="Audit event ids">
        #{row.id}
        {row.outcomeEventId ? ` → #${row.outcomeEventId}` : ''}
      </Fact>
    </dl>
  );
}

function EventCard({ event }: { event: AuditEventView }) {
  const details = event.details ? JSON.stringify(event.details, null, 2) : null;
  return (
    <li className="rounded-md border border-slate-200 p-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <span className="font-mono text-xs font-medium text-slate-900">
          #{event.id} {event.type}
        </span>
        <time dateTime={event.occurredAt} className="text-xs text-slate-600">
          {absoluteTime(event.occurredAt)}
        </time>
      </div>
      <dl className="mt-2 space-y-1 text-xs">
        {event.clientIp || event.userAgent ? (
          <div>
            <dt className="inline font-medium text-slate-500">Client: </dt>
            <dd className="inline text-slate-700">{[event.clientIp, event.userAgent].filter(Boolean).join(' · ')}</dd>
          </div>
        ) : null}
        <div>
          <dt className="inline font-medium text-slate-500">Hash: </dt>
          <dd className={`inline ${MONO} text-slate-700`}>{event.hash}</dd>
        </div>
        <div>
          <dt className="inline font-medium text-slate-500">Previous hash: </dt>
          <dd className={`inline ${MONO} text-slate-700`}>{event.prevHash}</dd>
        </div>
      </dl>
      {details ? (
        <pre className="mt-2 rounded bg-slate-50 p-2 text-xs break-all whitespace-pre-wrap text-slate-800">
          {details}
        </pre>
      ) : null}
    </li>
  );
}

/** A side sheet with every field of one rotation and its events; it refreshes while open. */
export function RotationDrawer({
  row,
  serverNow,
  onClose,
}: {
  row: RotationRowView | null;
  serverNow: number;
  onClose: () => void;
}) {
  const tenant = useTenant();
  const id = row?.id ?? 0;
  const detail = useQuery({
    queryKey: auditQueryKeys.detail(id),
    queryFn: () => unwrap(rotationDetailAction({ tenant: tenant.slug, id })),
    enabled: row !== null,
    refetchInterval: AUDIT_REFRESH_MS,
    staleTime: 0,
  });
  const shown = detail.data?.row ?? row;
  // The watch after the rotation, once its window closed: "Sign-ins after: 40 ok, 3 failed (3 key failures)."
  const watchSummary = detail.data?.events.find((event) => event.type === 'rotation.watch_closed')?.message ?? null;
  const opener = useRef<HTMLElement | null>(null);

  return (
    <Dialog.Root open={row !== null} onOpenChange={(open) => (open ? undefined : onClose())}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/30" />
        <Dialog.Content
          className="fixed inset-y-0 right-0 z-50 flex w-[min(38rem,100vw)] flex-col bg-white shadow-xl focus:outline-none"
          // Opened by a row's button, not by a Trigger: focus goes back to that button when the drawer closes.
          onOpenAutoFocus={() => {
            opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
          }}
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            opener.current?.focus();
          }}
        >
          <div className="flex items-start justify-between gap-4 border-b border-slate-200 px-6 py-4">
            <div>
              <Dialog.Title className="text-lg font-semibold">Rotation #{id}</Dialog.Title>
              <Dialog.Description className="mt-0.5 text-sm text-slate-600">
                {shown
                  ? `${shown.connectionName ?? shown.connectionId ?? 'Unknown connection'} · ${actorLabel(shown)}`
                  : ''}
              </Dialog.Description>
            </div>
            <Dialog.Close className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm font-medium text-slate-700 hover:bg-slate-50">
              Close
            </Dialog.Close>
          </div>
          <div className="flex-1 space-y-6 overflow-y-auto px-6 py-4">
            {shown ? (
              <RotationFacts
                row={shown}
                serverNow={serverNow}
                override={detail.data ? readinessOverrideOf(detail.data.events) : null}
                campaignId={detail.data ? campaignIdOf(detail.data.events) : null}
              />
            ) : null}
            {watchSummary ? <p className="rounded-md bg-slate-50 p-3 text-sm text-slate-800">{watchSummary}</p> : null}
            {detail.error ? (
              <ErrorPanel title="The rotation’s events could not be loaded" message={detail.error.message} />
            ) : null}
            {detail.data ? (
              <section aria-labelledby={`rotation-${id}-events`} className="space-y-2">
                <h3 id={`rotation-${id}-events`} className="text-sm font-semibold text-slate-900">
                  Audit events
                </h3>
                <ol className="space-y-2">
                  {detail.data.events.map((event) => (
                    <EventCard key={event.id} event={event} />
                  ))}
                </ol>
              </section>
            ) : detail.isPending && row ? (
              <p className="text-sm text-slate-600">Loading the audit events…</p>
            ) : null}
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
