import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { handoffRefusal } from '@/lib/handoff/links';
import { inHandoffTenant, liveHandoffDependencies } from '@/lib/handoff/live';
import { HandoffNotice } from './notice';

export const metadata: Metadata = {
  title: 'Link not valid',
  robots: { index: false, follow: false },
  referrer: 'no-referrer',
};

const utc = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

/** The 404 of a hand-off link that is not valid: why, when it can say, and never any key material. */
export default async function HandoffNotFound() {
  // The page threw notFound(); the proxy passed the path (and so the token) along as x-keyshift-path.
  const path = (await headers()).get('x-keyshift-path') ?? '';
  const token = /^\/handoff\/([^/?#]+)/.exec(path)?.[1] ?? '';
  let refusal: Awaited<ReturnType<typeof handoffRefusal>>;
  try {
    const link = decodeURIComponent(token);
    refusal = (await inHandoffTenant(link, () => handoffRefusal(liveHandoffDependencies(), link))) ?? {
      status: 'invalid',
    };
  } catch {
    refusal = { status: 'invalid' };
  }
  return (
    <HandoffNotice title="This hand-off link is not valid">
      {refusal.status === 'expired' ? (
        <p>
          It expired on <time dateTime={refusal.expiredAt}>{utc(refusal.expiredAt)}</time>. Ask the person who sent it
          for a new link.
        </p>
      ) : refusal.status === 'revoked' ? (
        <p>
          It was revoked on <time dateTime={refusal.revokedAt}>{utc(refusal.revokedAt)}</time>. Ask the person who sent
          it for a new link.
        </p>
      ) : (
        <p>The link is mistyped or incomplete. Check that it was copied whole, or ask the person who sent it.</p>
      )}
      <p>No key material is shown for a link that is not valid.</p>
    </HandoffNotice>
  );
}
