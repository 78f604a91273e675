'use client';

import type { HandOff } from '@/lib/keys/types';
import { CopyButton } from './copy-button';
import { TextBlock } from './text-block';

function JsonBlock({ label, text, onDownload }: { label: 'JWK' | 'JWKS'; text: string; onDownload: () => void }) {
  return (
    <TextBlock
      id={`hand-off-${label.toLowerCase()}`}
      label={label === 'JWK' ? 'JWK' : 'JWKS (this key only)'}
      copyLabel={`Copy ${label}`}
      text={text}
      onDownload={onDownload}
      downloadLabel={`Download .${label.toLowerCase()}.json`}
    />
  );
}

/**
 * What an IdP admin needs to trust the new next key before the next rotation makes it current: the JWK (Okta's
 * "Add key"), a one-key JWKS, or the connection's JWKS URL for an IdP that fetches keys by itself.
 */
export function KeyHandOff({
  handOff,
  jwksUrl,
  onDownload,
}: {
  handOff: HandOff;
  jwksUrl: string;
  onDownload: (kind: 'jwk' | 'jwks') => void;
}) {
  return (
    <section aria-labelledby="hand-off-title" className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        <h4 id="hand-off-title" className="mr-auto text-sm font-semibold text-slate-900">
          Hand the new key to the identity provider
        </h4>
        <span className="font-mono text-xs break-all text-slate-600">{jwksUrl}</span>
        <CopyButton text={jwksUrl} label="Copy JWKS URL" />
      </div>
      {handOff.ok ? (
        <div className="grid gap-4 lg:grid-cols-2">
          <JsonBlock label="JWK" text={handOff.jwk} onDownload={() => onDownload('jwk')} />
          <JsonBlock label="JWKS" text={handOff.jwks} onDownload={() => onDownload('jwks')} />
        </div>
      ) : (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900">
          Keyshift has no JWK for this key: {handOff.error}
        </p>
      )}
    </section>
  );
}
