'use client';

import type { HandOff } from '@/lib/keys/types';
import { CopyButton } from './copy-button';

const BUTTON =
  'rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50';

function JsonBlock({ label, text, onDownload }: { label: 'JWK' | 'JWKS'; text: string; onDownload: () => void }) {
  const id = `hand-off-${label.toLowerCase()}`;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={id} className="mr-auto text-sm font-medium text-slate-800">
          {label === 'JWK' ? 'JWK' : 'JWKS (this key only)'}
        </label>
        <CopyButton text={text} label={`Copy ${label}`} />
        <button type="button" onClick={onDownload} className={BUTTON}>
          Download .{label.toLowerCase()}.json
        </button>
      </div>
      <textarea
        id={id}
        readOnly
        value={text}
        rows={6}
        className="w-full resize-y rounded-md border border-slate-200 bg-slate-50 p-2 font-mono text-[11px] leading-4 text-slate-800"
      />
    </div>
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
