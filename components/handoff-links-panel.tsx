'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import {
  createHandoffLinkAction,
  listHandoffLinksAction,
  revokeHandoffLinkAction,
} from '@/app/(dashboard)/[tenant]/connections/[id]/handoff/actions';
import { unwrap } from '@/lib/browser/action-result';
import {
  HANDOFF_DAY_CHOICES,
  HANDOFF_DEFAULT_DAYS,
  type HandoffLinkStatus,
  type HandoffLinkView,
} from '@/lib/handoff/types';
import { CopyButton } from './copy-button';
import { useTenant } from './tenant-context';

const utc = (iso: string) => iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
const who = (person: { name: string | null; email: string | null; sub: string }) =>
  person.name ?? person.email ?? person.sub;

const STATUS_STYLE: Record<HandoffLinkStatus, string> = {
  active: 'bg-emerald-100 text-emerald-900',
  expired: 'bg-slate-200 text-slate-800',
  revoked: 'bg-red-100 text-red-900',
};

function RevokeLink({ connectionId, link }: { connectionId: string; link: HandoffLinkView }) {
  const tenant = useTenant();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const revoke = useMutation({
    mutationFn: () => unwrap(revokeHandoffLinkAction({ tenant: tenant.slug, connectionId, linkId: link.id })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['handoff-links', connectionId] }),
  });
  if (!asking) {
    return (
      <button
        type="button"
        onClick={() => setAsking(true)}
        className="rounded-md border border-red-300 bg-white px-2.5 py-1 text-xs font-medium text-red-800 hover:bg-red-50"
      >
        Revoke
      </button>
    );
  }
  return (
    <fieldset className="space-y-2 rounded-md bg-red-50 p-2">
      <legend className="sr-only">Revoke this link</legend>
      <p className="text-xs text-red-900">Revoke this link? Anyone opening it is refused from now on.</p>
      <div className="flex gap-2">
        <button
          type="button"
          disabled={revoke.isPending}
          onClick={() => revoke.mutate()}
          className="rounded-md bg-red-700 px-2.5 py-1 text-xs font-medium text-white hover:bg-red-600 disabled:opacity-60"
        >
          {revoke.isPending ? 'Revoking…' : 'Yes, revoke the link'}
        </button>
        <button
          type="button"
          onClick={() => setAsking(false)}
          className="rounded-md px-2.5 py-1 text-xs text-slate-700 ring-1 ring-slate-300 hover:bg-white"
        >
          Cancel
        </button>
      </div>
      {revoke.error ? (
        <p role="alert" className="text-xs text-red-900">
          {revoke.error.message}
        </p>
      ) : null}
    </fieldset>
  );
}

/**
 * Hand-off links of one connection, for rotators: make one (1–30 days), copy it for the IdP admin, revoke it. The
 * page the link opens is public (app/handoff); every creation, revocation and open is in the audit trail.
 */
export function HandoffLinksPanel({ connectionId }: { connectionId: string }) {
  const tenant = useTenant();
  const queryClient = useQueryClient();
  const daysId = useId();
  const [days, setDays] = useState<number>(HANDOFF_DEFAULT_DAYS);
  const links = useQuery({
    queryKey: ['handoff-links', connectionId],
    queryFn: () => unwrap(listHandoffLinksAction({ tenant: tenant.slug, connectionId })),
  });
  const create = useMutation({
    mutationFn: () => unwrap(createHandoffLinkAction({ tenant: tenant.slug, connectionId, expiresInDays: days })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['handoff-links', connectionId] }),
  });
  // The link just made, until the list says it is no longer active (revoked or expired): then its box goes.
  const created =
    create.data && (links.data?.find((link) => link.id === create.data.id)?.status ?? 'active') === 'active'
      ? create.data
      : undefined;
  return (
    <section
      id="hand-off-links"
      aria-labelledby="handoff-links-title"
      className="scroll-mt-4 space-y-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <div className="space-y-1">
        <h3 id="handoff-links-title" className="text-sm font-semibold text-slate-900">
          Hand-off links
        </h3>
        <p className="text-sm text-slate-600">
          A link the IdP admin opens without a Keyshift account: this connection’s public keys, its JWKS URL and how to
          add the next key in Okta, Entra ID, Keycloak or another OIDC provider. Nothing secret; every open is audited.
        </p>
      </div>
      <div className="flex flex-wrap items-end gap-2">
        <div className="space-y-1">
          <label htmlFor={daysId} className="block text-xs font-medium text-slate-700">
            Valid for
          </label>
          <select
            id={daysId}
            value={days}
            onChange={(event) => setDays(Number(event.target.value))}
            className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
          >
            {HANDOFF_DAY_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                {choice === 1 ? '1 day' : `${choice} days`}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          disabled={create.isPending}
          onClick={() => create.mutate()}
          className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
        >
          {create.isPending ? 'Creating…' : 'Create hand-off link'}
        </button>
      </div>
      <div aria-live="polite">
        {created?.url ? (
          <div className="space-y-1 rounded-md bg-emerald-50 p-3">
            <p className="text-sm text-emerald-900">Link created, valid until {utc(created.expiresAt)}.</p>
            <div className="flex flex-wrap items-center gap-2">
              <code data-testid="handoff-link-created" className="font-mono text-xs break-all text-slate-900">
                {created.url}
              </code>
              <CopyButton text={created.url} label="Copy the new link" />
            </div>
          </div>
        ) : null}
        {create.error ? (
          <p role="alert" className="text-sm text-red-900">
            {create.error.message}
          </p>
        ) : null}
      </div>
      {links.error ? (
        <p role="alert" className="text-sm text-red-900">
          {links.error.message}
        </p>
      ) : links.data && links.data.length > 0 ? (
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Hand-off links of this connection</caption>
          <thead className="text-xs text-slate-600">
            <tr>
              <th scope="col" className="py-1 pr-3 font-medium">
                Created
              </th>
              <th scope="col" className="py-1 pr-3 font-medium">
                Expires
              </th>
              <th scope="col" className="py-1 pr-3 font-medium">
                Status
              </th>
              <th scope="col" className="py-1 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {links.data.map((link) => (
              <tr key={link.id} data-link-id={link.id} className="border-t border-slate-100 align-top">
                <td className="py-2 pr-3">
                  <div>{utc(link.createdAt)}</div>
                  <div className="text-xs text-slate-600">by {who(link.createdBy)}</div>
                </td>
                <td className="py-2 pr-3">{utc(link.expiresAt)}</td>
                <td className="py-2 pr-3">
                  <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[link.status]}`}>
                    {link.status}
                  </span>
                  {link.revokedAt && link.revokedBy ? (
                    <div className="text-xs text-slate-600">
                      {utc(link.revokedAt)} by {who(link.revokedBy)}
                    </div>
                  ) : null}
                </td>
                <td className="py-2">
                  {link.url ? (
                    <div className="flex flex-wrap items-start gap-2">
                      <CopyButton text={link.url} label="Copy link" />
                      <RevokeLink connectionId={connectionId} link={link} />
                    </div>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : links.isPending ? (
        <p className="text-sm text-slate-600">Loading the links…</p>
      ) : (
        <p className="text-sm text-slate-600">No hand-off links yet.</p>
      )}
    </section>
  );
}
