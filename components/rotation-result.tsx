'use client';

import { useQuery } from '@tanstack/react-query';
import { checkPublicationAction } from '@/app/(dashboard)/[tenant]/connections/[id]/actions';
import { unwrap } from '@/lib/browser/action-result';
import { saveCertificate } from '@/lib/browser/save-certificate';
import type { CertificateSummary } from '@/lib/keys/types';
import type { RotationView } from '@/lib/rotation/view';
import { KeyHandOff } from './key-hand-off';
import { SignInWatch } from './sign-in-watch';
import { useTenant } from './tenant-context';
import { TextBlock } from './text-block';
import { ValidityLabel } from './validity-label';

function Fact({ label, children, mono = false }: { label: string; children: React.ReactNode; mono?: boolean }) {
  return (
    <div>
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className={`mt-0.5 break-all text-slate-900 ${mono ? 'font-mono text-xs' : 'text-sm'}`}>{children}</dd>
    </div>
  );
}

function VerifiedBadge({ certificate }: { certificate: CertificateSummary }) {
  if (!certificate.ok) {
    return (
      <span className="rounded-full bg-red-100 px-2 py-0.5 text-xs font-semibold text-red-800">
        Certificate unreadable
      </span>
    );
  }
  return certificate.verified ? (
    <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-800">
      ✓ Verified against the certificate
    </span>
  ) : (
    <span className="rounded-full bg-red-600 px-2 py-0.5 text-xs font-semibold text-white">
      ✗ Does not match the certificate
    </span>
  );
}

function PemBlock({
  label,
  text,
  onDownload,
  downloadLabel,
}: {
  label: string;
  text: string;
  onDownload: () => void;
  downloadLabel: string;
}) {
  const id = label.replace(/\W+/g, '-').toLowerCase();
  return (
    <TextBlock
      id={id}
      label={label}
      copyLabel={`Copy ${label}`}
      text={text}
      onDownload={onDownload}
      downloadLabel={downloadLabel}
    />
  );
}

/**
 * Asked once the new key is on screen rather than inside the rotation: it is one more read of Auth0, and the operator
 * should not wait for it to see the certificate. "Check again" repeats it while the key is not published yet.
 */
function JwksPublicationStatus({ connectionName, kid }: { connectionName: string; kid: string }) {
  const tenant = useTenant();
  const check = useQuery({
    queryKey: ['jwks', connectionName, kid],
    queryFn: () => unwrap(checkPublicationAction({ tenant: tenant.slug, connectionName, kid })),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  const published = check.data?.published;
  const tone = published
    ? 'bg-emerald-50 text-emerald-900'
    : check.isPending
      ? 'bg-slate-50 text-slate-700'
      : 'bg-amber-50 text-amber-900';
  const sentence = check.isPending
    ? 'Checking the connection’s JWKS…'
    : check.error
      ? `Keyshift could not check the connection’s JWKS: ${check.error.message}`
      : published === true
        ? 'The new key is published in the connection’s JWKS: the identity provider can pick it up.'
        : published === false
          ? 'The new key is not in the connection’s JWKS yet. Check again before handing it over.'
          : `Keyshift could not check the connection’s JWKS: ${check.data?.error}`;
  return (
    <div className={`flex flex-wrap items-center gap-x-2 gap-y-1 rounded-md p-3 text-sm ${tone}`}>
      <span role="status">{sentence}</span>
      {check.data ? <span className="font-mono text-xs break-all">{check.data.url}</span> : null}
      {!check.isPending && published !== true ? (
        <button
          type="button"
          onClick={() => void check.refetch()}
          disabled={check.isFetching}
          className="ml-auto rounded-md border border-current/30 bg-white px-2.5 py-1 text-xs font-medium hover:bg-slate-50 disabled:opacity-60"
        >
          {check.isFetching ? 'Checking…' : 'Check again'}
        </button>
      ) : null}
    </div>
  );
}

export function RotationResult({
  rotation,
  canHandOff,
  onDismiss,
}: {
  rotation: RotationView;
  /** Whether this user may make hand-off links: the watch's alarm points to them then. */
  canHandOff: boolean;
  onDismiss: () => void;
}) {
  const { key } = rotation;
  const certificate = key.certificate;
  const source = {
    connectionName: rotation.connectionName,
    kid: key.kid,
    cert: key.cert,
    pkcs: key.pkcs,
    derBase64: certificate.ok ? certificate.derBase64 : null,
    handOff: key.handOff.ok ? key.handOff : null,
  };
  return (
    <section
      aria-labelledby="rotation-result-title"
      className="space-y-5 rounded-xl border border-emerald-200 bg-white p-5 shadow-sm"
    >
      <div className="flex flex-wrap items-start gap-3">
        <div className="mr-auto">
          <h3 id="rotation-result-title" className="text-base font-semibold text-emerald-900">
            Keys rotated
          </h3>
          <p className="mt-1 text-sm text-slate-700" role="status">
            {rotation.revokedKid ? (
              <>
                Key <span className="font-mono break-all">{rotation.revokedKid}</span> was revoked and is now previous;{' '}
              </>
            ) : null}
            {rotation.promotedKid ? (
              <>
                <span className="font-mono break-all">{rotation.promotedKid}</span> is now current. A new next key was
                generated in {rotation.durationMs} ms.
              </>
            ) : (
              'A new next key was generated.'
            )}
          </p>
          {rotation.settledByReadBack ? (
            <p className="mt-1 text-sm text-amber-800">
              Auth0’s answer was lost; Keyshift read the keys back and confirmed the rotation happened.
            </p>
          ) : null}
        </div>
        <VerifiedBadge certificate={certificate} />
        <button type="button" onClick={onDismiss} className="text-sm text-slate-600 underline hover:text-slate-900">
          Dismiss
        </button>
      </div>

      {/* First after the summary: an alarm about failing sign-ins matters more than the new key's facts. */}
      <SignInWatch connectionId={rotation.connectionId} jwksUrl={key.jwksUrl} canHandOff={canHandOff} />

      <dl className="grid grid-cols-1 gap-x-6 gap-y-3 sm:grid-cols-2 lg:grid-cols-3">
        <Fact label="Key id (kid)" mono>
          {key.kid}
        </Fact>
        <Fact label="Algorithm">{key.algorithm ?? '—'}</Fact>
        <Fact label="Key use">{key.keyUse ?? '—'}</Fact>
        <Fact label="Next">{key.next ? 'Yes — this key is next' : 'No'}</Fact>
        <Fact label="Subject DN">{key.subjectDn ?? '—'}</Fact>
        {certificate.ok ? (
          <>
            <Fact label="Issuer">{certificate.issuer}</Fact>
            <Fact label="Serial number" mono>
              {certificate.serialNumber}
            </Fact>
            <Fact label="Public key">{certificate.publicKey}</Fact>
            <Fact label="Signature algorithm">{certificate.signatureAlgorithm}</Fact>
            <Fact label="Validity">
              <ValidityLabel notBefore={certificate.notBefore} notAfter={certificate.notAfter} />
            </Fact>
            <Fact label="SHA-1 fingerprint (from Auth0)" mono>
              {key.fingerprint}
            </Fact>
            <Fact label="SHA-1 fingerprint (computed)" mono>
              {certificate.sha1Fingerprint}
            </Fact>
            <Fact label="Thumbprint (from Auth0)" mono>
              {key.thumbprint}
            </Fact>
            <Fact label="Thumbprint (computed)" mono>
              {certificate.sha1Thumbprint}
            </Fact>
            <Fact label="SHA-256 fingerprint" mono>
              {certificate.sha256Fingerprint}
            </Fact>
          </>
        ) : (
          <Fact label="Certificate">{certificate.error}</Fact>
        )}
      </dl>
      {certificate.ok && certificate.mismatches.length > 0 ? (
        <ul
          role="alert"
          className="list-disc space-y-1 rounded-md border border-red-300 bg-red-50 p-3 pl-8 text-sm text-red-900"
        >
          {certificate.mismatches.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}

      <JwksPublicationStatus connectionName={rotation.connectionName} kid={key.kid} />

      <KeyHandOff handOff={key.handOff} jwksUrl={key.jwksUrl} onDownload={(kind) => saveCertificate(source, kind)} />

      <div className="grid gap-4 lg:grid-cols-2">
        <PemBlock
          label="Certificate (PEM)"
          text={key.cert}
          onDownload={() => saveCertificate(source, 'pem')}
          downloadLabel="Download .pem"
        />
        {key.pkcs ? (
          <PemBlock
            label="PKCS#7"
            text={key.pkcs}
            onDownload={() => saveCertificate(source, 'p7b')}
            downloadLabel="Download .p7b"
          />
        ) : null}
      </div>
      {certificate.ok ? (
        <button
          type="button"
          onClick={() => saveCertificate(source, 'cer')}
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50"
        >
          Download .cer (DER)
        </button>
      ) : null}
    </section>
  );
}
