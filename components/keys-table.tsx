import type { KeyView } from '@/lib/keys/types';
import { KeyActionsMenu } from './key-actions-menu';
import { KeyStatusBadge } from './key-status-badge';
import { ValidityLabel } from './validity-label';

export function KeysTable({
  keys,
  connectionName,
  jwksUrl,
}: {
  keys: KeyView[];
  connectionName: string;
  jwksUrl: string;
}) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-xs">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Signing keys of {connectionName}</caption>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="px-4 py-2.5 font-medium">
              Status
            </th>
            <th scope="col" className="px-4 py-2.5 font-medium">
              Key
            </th>
            <th scope="col" className="px-4 py-2.5 font-medium">
              Subject DN
            </th>
            <th scope="col" className="px-4 py-2.5 font-medium">
              SHA-1 fingerprint
            </th>
            <th scope="col" className="px-4 py-2.5 font-medium">
              Validity
            </th>
            <th scope="col" className="px-4 py-2.5 font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-top">
          {keys.map((key) => (
            <tr key={key.kid} data-kid={key.kid}>
              <td className="px-4 py-3">
                <KeyStatusBadge keyState={key} />
              </td>
              <td className="px-4 py-3">
                <div className="font-mono text-xs break-all text-slate-900">{key.kid}</div>
                <div className="mt-1 text-xs text-slate-600">
                  {key.algorithm ?? 'unknown algorithm'} · {key.keyUse ?? 'signing'}
                  {key.certificate.ok ? ` · ${key.certificate.publicKey}` : ''}
                </div>
              </td>
              <td className="px-4 py-3 text-xs text-slate-700">
                {key.subjectDn ?? (key.certificate.ok ? key.certificate.subject : '—')}
              </td>
              <td className="max-w-64 px-4 py-3">
                <div className="font-mono text-xs break-all text-slate-700">{key.fingerprint}</div>
                {key.certificate.ok && !key.certificate.verified ? (
                  <div role="alert" className="mt-1 text-xs font-medium text-red-700">
                    Does not match the certificate
                  </div>
                ) : null}
              </td>
              <td className="px-4 py-3">
                {key.certificate.ok ? (
                  <ValidityLabel notBefore={key.certificate.notBefore} notAfter={key.certificate.notAfter} />
                ) : (
                  <span className="text-xs text-red-700">{key.certificate.error}</span>
                )}
              </td>
              <td className="px-4 py-3">
                <KeyActionsMenu keyView={key} connectionName={connectionName} jwksUrl={jwksUrl} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
