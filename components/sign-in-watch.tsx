'use client';

import { useQuery } from '@tanstack/react-query';
import { signInWatchAction } from '@/app/(dashboard)/[tenant]/connections/[id]/actions';
import { absoluteTime } from '@/lib/audit/view/format';
import { unwrap } from '@/lib/browser/action-result';
import { keysQueryKey } from '@/lib/keys/query-key';
import type { KeyView } from '@/lib/keys/types';
import type { SignInWatchView } from '@/lib/watch/types';
import { CopyButton } from './copy-button';
import { useTenant } from './tenant-context';

export const signInWatchQueryKey = (connectionId: string) => ['sign-in-watch', connectionId] as const;

type OpenWatch = Exclude<SignInWatchView, { state: 'none' }>;

const minutes = (ms: number) => Math.max(0, Math.round(ms / 60_000));
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

function since(watch: OpenWatch): string {
  const ago = minutes(Date.parse(watch.now) - Date.parse(watch.rotation.at));
  return ago === 0 ? 'less than a minute ago' : `${ago} min ago`;
}

function countsSentence(watch: OpenWatch): string {
  const { succeeded, failed, complete } = watch.counts;
  const floor = complete ? '' : 'at least ';
  return `${floor}${succeeded} succeeded, ${floor}${failed} failed`;
}

function Alarm({
  watch,
  keys,
  jwksUrl,
  canHandOff,
}: {
  watch: OpenWatch;
  keys: KeyView[] | undefined;
  jwksUrl: string;
  canHandOff: boolean;
}) {
  const kid = watch.rotation.promotedKid ?? keys?.find((key) => key.current)?.kid ?? null;
  const key = kid ? keys?.find((candidate) => candidate.kid === kid) : undefined;
  const { keyFailures, firstKeyFailureAt } = watch.counts;
  const name = watch.connectionName ?? 'this connection';
  return (
    <div role="alert" className="space-y-3 rounded-lg border-2 border-red-400 bg-red-50 p-4 text-sm text-red-950">
      <p className="font-semibold break-words">
        Sign-ins through {name} are failing: the identity provider does not trust key{' '}
        <span className="font-mono break-all">{kid ?? 'the new current key'}</span> ({plural(keyFailures, 'failure')}
        {firstKeyFailureAt ? ` since ${absoluteTime(firstKeyFailureAt)}` : ''}).
      </p>
      <p>Give the identity provider the now-current key, or point it at the connection’s JWKS URL:</p>
      <div className="flex flex-wrap items-center gap-3">
        {key?.handOff.ok ? (
          <CopyButton text={key.handOff.jwk} label={`Copy the JWK of key ${kid}`} className="break-all text-left" />
        ) : null}
        {canHandOff ? (
          <a href="#hand-off-links" className="font-medium text-red-900 underline hover:text-red-700">
            Send a hand-off link
          </a>
        ) : (
          <span>A rotator can send the IdP admin a hand-off link.</span>
        )}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-mono text-xs break-all">{jwksUrl}</span>
        <CopyButton text={jwksUrl} label="Copy JWKS URL" />
      </div>
    </div>
  );
}

function LatestFailures({ watch }: { watch: OpenWatch }) {
  if (watch.latestFailures.length === 0) return null;
  return (
    <details className="text-sm text-slate-700">
      <summary className="cursor-pointer">Latest failures</summary>
      <ul className="mt-2 space-y-1">
        {watch.latestFailures.map((failure) => (
          <li key={`${failure.date}-${failure.description}`} className="break-words">
            <time dateTime={failure.date} className="text-xs text-slate-500">
              {absoluteTime(failure.date)}
            </time>{' '}
            {failure.description}
          </li>
        ))}
      </ul>
    </details>
  );
}

/**
 * Sign-ins through the connection since its latest rotation, asked every few seconds while the watch window is open
 * and the tab is visible: an alarm with the remedy when the IdP refuses the new key, a reminder to remove the revoked
 * key from a `pasted` IdP once sign-ins are healthy, and a quiet summary once the window has closed.
 */
export function SignInWatch({
  connectionId,
  jwksUrl,
  canHandOff,
}: {
  connectionId: string;
  jwksUrl: string;
  /** Whether this user may make hand-off links (the page shows their panel only then). */
  canHandOff: boolean;
}) {
  const tenant = useTenant();
  const query = useQuery({
    queryKey: signInWatchQueryKey(connectionId),
    queryFn: () => unwrap(signInWatchAction({ tenant: tenant.slug, connectionId })),
    staleTime: 0,
    refetchInterval: (current) => (current.state.data?.state === 'watching' ? current.state.data.pollMs : false),
    refetchIntervalInBackground: false,
  });
  // The keys the page already holds (the keys panel's query): the now-current key's JWK, without another read.
  const keys = useQuery<KeyView[]>({ queryKey: keysQueryKey(connectionId), enabled: false }).data;
  const watch = query.data;
  if (!watch || watch.state === 'none') {
    return query.error ? (
      <p className="text-sm text-amber-800">
        Keyshift could not read the sign-ins since the rotation: {query.error.message}
      </p>
    ) : null;
  }
  const { keyFailures, succeeded, lastSucceededAt, lastKeyFailureAt } = watch.counts;
  const watching = watch.state === 'watching';
  // The IdP came to trust the key (its admin pasted it, its cache refreshed): a sign-in succeeded after the last refusal.
  const recovered =
    keyFailures > 0 &&
    lastSucceededAt !== null &&
    lastKeyFailureAt !== null &&
    Date.parse(lastSucceededAt) > Date.parse(lastKeyFailureAt);
  const healthy = succeeded > 0 && (keyFailures === 0 || recovered);
  const left = minutes(Date.parse(watch.windowEnd) - Date.parse(watch.now));
  const windowMinutes = minutes(Date.parse(watch.windowEnd) - Date.parse(watch.windowStart));
  return (
    <section
      aria-label="Sign-ins since the rotation"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <p role="status" className="text-sm text-slate-800">
        {watching
          ? `Sign-ins since the rotation ${since(watch)}: ${countsSentence(watch)} — watching for ${
              left === 0 ? 'less than a minute' : `${left} more minute${left === 1 ? '' : 's'}`
            }.`
          : `Sign-ins in the ${windowMinutes} minutes after the rotation: ${countsSentence(watch)}` +
            (keyFailures > 0 ? ` (${plural(keyFailures, 'key failure')}).` : '.')}
      </p>
      {watch.readError ? (
        <p className="text-sm text-amber-800">
          {watching
            ? `Could not read sign-ins: ${watch.readError}, retrying.`
            : `Could not read the last sign-ins of the window: ${watch.readError}. The counts are those read before; Keyshift reads the rest in the background and records the summary in the audit trail.`}
        </p>
      ) : null}
      {watching && keyFailures > 0 && !recovered ? (
        <Alarm watch={watch} keys={keys} jwksUrl={jwksUrl} canHandOff={canHandOff} />
      ) : null}
      {recovered && lastSucceededAt && lastKeyFailureAt ? (
        <p className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-950 break-words">
          Sign-ins have recovered: the identity provider refused the key {plural(keyFailures, 'time')} (the last at{' '}
          {absoluteTime(lastKeyFailureAt)}), and a sign-in at {absoluteTime(lastSucceededAt)} succeeded.
        </p>
      ) : null}
      {watch.idpMode === 'pasted' && healthy && watch.rotation.revokedKid ? (
        <p className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900 break-words">
          Sign-ins are healthy: remove the revoked key{' '}
          <span className="font-mono break-all">{watch.rotation.revokedKid}</span> from the IdP’s trusted keys.
        </p>
      ) : null}
      <LatestFailures watch={watch} />
    </section>
  );
}
