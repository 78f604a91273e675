import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { CopyButton } from '@/components/copy-button';
import { HandoffKeyForms } from '@/components/handoff-key-forms';
import { requestInfo } from '@/lib/auth/authorize';
import { openHandoffLink } from '@/lib/handoff/links';
import { inHandoffTenant, isAuthenticHandoffToken, liveHandoffDependencies, takeHandoffOpen } from '@/lib/handoff/live';
import { HandoffNotice } from './notice';

export const metadata: Metadata = {
  title: 'Signing key hand-off',
  robots: { index: false, follow: false },
  referrer: 'no-referrer',
};

function Step({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="space-y-1">
      <h3 className="text-sm font-semibold text-slate-900">{title}</h3>
      <div className="space-y-1 text-sm text-slate-700">{children}</div>
    </section>
  );
}

/**
 * The page an IdP admin without a Keyshift account opens: one connection's public keys and how to trust them. It is
 * outside the dashboard (no sign-in, no navigation); a link that is not valid is answered 404 by not-found.tsx.
 */
export default async function HandoffPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  // A token this Keyshift did not sign costs nobody's budget: it is refused before anything is read or counted.
  if (!isAuthenticHandoffToken(token)) notFound();
  const visitor = requestInfo(await headers());
  const budget = takeHandoffOpen(visitor.ip);
  if (!budget.ok) {
    return (
      <HandoffNotice title="Too many requests">
        <p>
          This page is being opened too often right now. Try again in {Math.ceil(budget.retryAfterMs / 1000)} seconds.
        </p>
      </HandoffNotice>
    );
  }
  const result = await inHandoffTenant(token, () =>
    openHandoffLink(liveHandoffDependencies(), token, { ...visitor, requestId: randomUUID() }),
  );
  if (!result || result.status === 'invalid' || result.status === 'expired' || result.status === 'revoked') notFound();
  if (result.status === 'unavailable') {
    return (
      <HandoffNotice title="The keys could not be read right now">
        <p>Auth0 did not answer in time. Reload this page in a minute; the link is still valid.</p>
      </HandoffNotice>
    );
  }
  const next = result.keys.find((key) => key.role === 'next');
  const current = result.keys.find((key) => key.role === 'current');
  return (
    <main className="mx-auto max-w-4xl space-y-8 px-4 py-8">
      <header className="space-y-2">
        <p className="text-sm text-slate-600">Signing key hand-off for an identity provider</p>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">
          Connection <span className="font-mono">{result.connectionName}</span>
        </h1>
        <p className="text-sm text-slate-700">
          Auth0 tenant <span className="font-mono">{result.tenant}</span> signs the client assertions it sends your
          identity provider (private_key_jwt) with this connection’s current key. Everything here is public key
          material: no secret is on this page. This link stops working on{' '}
          <time dateTime={result.expiresAt}>{result.expiresAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}</time>.
        </p>
      </header>

      <section aria-labelledby="which-key" className="space-y-2 rounded-md border border-indigo-200 bg-indigo-50 p-4">
        <h2 id="which-key" className="text-base font-semibold text-slate-900">
          Which key to add
        </h2>
        {next ? (
          <p className="text-sm text-slate-800">
            Add the <strong>next</strong> key, kid <code className="font-mono break-all">{next.kid}</code>, and keep the
            current one. When the key is rotated, Auth0 revokes the current key at once and signs with this one from
            then on; an identity provider that does not trust it yet rejects every sign-in (“The client_assertion JWT
            kid is invalid”) until it does.
          </p>
        ) : (
          <p className="text-sm text-slate-800">
            This connection has no next key yet. Trust the current key below, and ask for a new link after the next key
            is made.
          </p>
        )}
      </section>

      <section aria-labelledby="jwks-url" className="space-y-2">
        <h2 id="jwks-url" className="text-base font-semibold text-slate-900">
          The connection’s JWKS URL
        </h2>
        <p className="text-sm text-slate-700">
          An identity provider that fetches this URL learns every new key by itself, within its cache time.
        </p>
        <div className="flex flex-wrap items-center gap-2">
          <code data-testid="handoff-jwks-url" className="font-mono text-xs break-all text-slate-900">
            {result.jwksUrl}
          </code>
          <CopyButton text={result.jwksUrl} label="Copy the JWKS URL" />
        </div>
      </section>

      <section aria-labelledby="instructions" className="space-y-3">
        <h2 id="instructions" className="text-base font-semibold text-slate-900">
          How to add it
        </h2>
        <Step title="Okta">
          <p>
            Admin Console › Applications › your app › General › Client Credentials › Public keys › Add key: paste the
            next key’s JWK below and save. Or choose “Use a URL to fetch keys dynamically” and enter the JWKS URL.
          </p>
        </Step>
        <Step title="Microsoft Entra ID">
          <p>
            App registrations › your app › Certificates &amp; secrets › Certificates › Upload certificate: upload the
            next key’s certificate (.cer or .pem). Entra identifies it by its x5t (SHA-1 thumbprint), shown below.
          </p>
        </Step>
        <Step title="Keycloak">
          <p>
            Clients › your client › Keys: turn on “Use JWKS URL” and enter the JWKS URL (Keycloak refetches it when it
            sees an unknown kid). Or, without the URL, Import key › Certificate PEM with the next key’s certificate.
          </p>
        </Step>
        <Step title="Any other OIDC provider">
          <p>
            Configure the JWKS URL for client authentication with private_key_jwt, or add the next key’s JWK (or its
            one-key JWKS) to the keys it trusts; it matches a client assertion to a key by the kid in its header.
          </p>
        </Step>
      </section>

      {next ? (
        <section aria-labelledby="next-key" className="space-y-3">
          <h2 id="next-key" className="text-base font-semibold text-slate-900">
            Next key (add this one)
          </h2>
          <HandoffKeyForms connectionName={result.connectionName} handoffKey={next} />
        </section>
      ) : null}
      {current ? (
        <section aria-labelledby="current-key" className="space-y-3">
          <h2 id="current-key" className="text-base font-semibold text-slate-900">
            Current key (signing now)
          </h2>
          <HandoffKeyForms connectionName={result.connectionName} handoffKey={current} />
        </section>
      ) : null}
    </main>
  );
}
