'use client';

import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useState } from 'react';
import type { DownloadKind } from '@/lib/certs/download';
import type { KeyView } from '@/lib/keys/types';
import { type DownloadSource, saveCertificate } from './download';

const ITEM =
  'flex cursor-pointer select-none items-center rounded px-2 py-1.5 text-sm text-slate-700 outline-none data-[highlighted]:bg-indigo-50 data-[highlighted]:text-indigo-900 data-[disabled]:opacity-40';
const TRIGGER =
  'whitespace-nowrap rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 data-[state=open]:bg-slate-100';

function Menu({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger className={TRIGGER}>{label} ▾</DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={4}
          className="z-50 min-w-44 rounded-md border border-slate-200 bg-white p-1 shadow-lg"
        >
          {children}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

/** Copy and Download for one key; "Copied …" is announced politely. */
export function KeyActionsMenu({ keyView, connectionName }: { keyView: KeyView; connectionName: string }) {
  const [announcement, setAnnouncement] = useState('');
  const certificate = keyView.certificate;
  const source: DownloadSource = {
    connectionName,
    kid: keyView.kid,
    cert: keyView.cert,
    pkcs: keyView.pkcs,
    derBase64: certificate.ok ? certificate.derBase64 : null,
  };
  const copy = (what: string, text: string) =>
    navigator.clipboard.writeText(text).then(
      () => setAnnouncement(`Copied ${what}`),
      () => setAnnouncement(`Could not copy ${what}`),
    );
  const download = (kind: DownloadKind) => saveCertificate(source, kind);
  return (
    <div className="flex items-center justify-end gap-2">
      <span aria-live="polite" className="text-xs text-emerald-700">
        {announcement}
      </span>
      <Menu label="Copy">
        <DropdownMenu.Item className={ITEM} onSelect={() => copy('certificate', keyView.cert)}>
          Certificate (PEM)
        </DropdownMenu.Item>
        <DropdownMenu.Item className={ITEM} onSelect={() => copy('fingerprint', keyView.fingerprint)}>
          SHA-1 fingerprint
        </DropdownMenu.Item>
        <DropdownMenu.Item className={ITEM} onSelect={() => copy('thumbprint', keyView.thumbprint)}>
          Thumbprint
        </DropdownMenu.Item>
        <DropdownMenu.Item className={ITEM} onSelect={() => copy('kid', keyView.kid)}>
          Key id (kid)
        </DropdownMenu.Item>
      </Menu>
      <Menu label="Download">
        <DropdownMenu.Item className={ITEM} onSelect={() => download('pem')}>
          Certificate (.pem)
        </DropdownMenu.Item>
        <DropdownMenu.Item className={ITEM} disabled={!keyView.pkcs} onSelect={() => download('p7b')}>
          PKCS#7 (.p7b)
        </DropdownMenu.Item>
        <DropdownMenu.Item className={ITEM} disabled={!certificate.ok} onSelect={() => download('cer')}>
          DER (.cer)
        </DropdownMenu.Item>
      </Menu>
    </div>
  );
}
