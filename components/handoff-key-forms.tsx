'use client';

import { saveCertificate } from '@/lib/browser/save-certificate';
import type { DownloadKind } from '@/lib/certs/download';
import type { HandoffKey } from '@/lib/handoff/types';
import { CopyButton } from './copy-button';
import { TextBlock } from './text-block';

function Fact({ term, value }: { term: string; value: string | null }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-slate-600">{term}</dt>
      <dd className="font-mono text-xs break-all text-slate-900">{value ?? '—'}</dd>
    </div>
  );
}

/** One key of a hand-off page: its facts and every public form an IdP takes, each with Copy and Download. */
export function HandoffKeyForms({ connectionName, handoffKey }: { connectionName: string; handoffKey: HandoffKey }) {
  const key = handoffKey;
  const prefix = `handoff-${key.role}`;
  const save = (kind: DownloadKind) =>
    saveCertificate(
      {
        connectionName,
        kid: key.kid,
        cert: key.pem,
        pkcs: null,
        derBase64: key.derBase64,
        handOff: key.jwk && key.jwks ? { jwk: key.jwk, jwks: key.jwks } : null,
      },
      kind,
    );
  return (
    <div className="space-y-4">
      <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        <div className="min-w-0">
          <dt className="text-xs font-medium text-slate-600">Key ID (kid)</dt>
          <dd className="flex flex-wrap items-center gap-2">
            <code data-testid={`${prefix}-kid`} className="font-mono text-xs break-all text-slate-900">
              {key.kid}
            </code>
            <CopyButton text={key.kid} label={`Copy the ${key.role} kid`} />
          </dd>
        </div>
        <Fact term="Algorithm (alg)" value={key.algorithm} />
        <Fact term="Valid from" value={key.notBefore} />
        <Fact term="Valid until" value={key.notAfter} />
        <Fact term="x5t (SHA-1, base64url)" value={key.x5t} />
        <Fact term="x5t#S256 (SHA-256, base64url)" value={key.x5tS256} />
        <Fact term="Thumbprint (SHA-1, hex)" value={key.thumbprint} />
      </dl>
      {key.jwk && key.jwks ? (
        <div className="grid gap-4 lg:grid-cols-2">
          <TextBlock
            id={`${prefix}-jwk`}
            label={`JWK (${key.role} key)`}
            copyLabel={`Copy the ${key.role} JWK`}
            text={key.jwk}
            onDownload={() => save('jwk')}
            downloadLabel="Download .jwk.json"
          />
          <TextBlock
            id={`${prefix}-jwks`}
            label={`JWKS (${key.role} key only)`}
            copyLabel={`Copy the ${key.role} JWKS`}
            text={key.jwks}
            onDownload={() => save('jwks')}
            downloadLabel="Download .jwks.json"
          />
        </div>
      ) : (
        <p className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          No JWK for this key: {key.jwkError}. Use the certificate below.
        </p>
      )}
      <TextBlock
        id={`${prefix}-pem`}
        label={`Certificate, PEM (${key.role} key)`}
        copyLabel={`Copy the ${key.role} certificate`}
        text={key.pem}
        onDownload={() => save('pem')}
        downloadLabel="Download .pem"
      />
      {key.derBase64 ? (
        <button
          type="button"
          onClick={() => save('cer')}
          className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50"
        >
          Download the {key.role} certificate as .cer (DER)
        </button>
      ) : null}
    </div>
  );
}
