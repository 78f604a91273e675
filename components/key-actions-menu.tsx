'use client';

import { Suspense, useState } from 'react';
import { onDemand } from '@/lib/browser/on-demand';
import { type DownloadSource, saveCertificate } from '@/lib/browser/save-certificate';
import type { DownloadKind } from '@/lib/certs/download';
import type { KeyView } from '@/lib/keys/types';
import { MENU_TRIGGER, type MenuName } from './key-menu-trigger';

// The menu library loads with the first menu an operator opens (or the hover before it), not with the page.
const Dropdowns = onDemand(() => import('./key-actions-dropdown').then((module) => module.KeyActionsDropdowns));

/** Until then, buttons that look and read the same, and open the real menu. */
function StandInTriggers({ onOpen }: { onOpen?: (menu: MenuName) => void }) {
  return (['Copy', 'Download'] as const).map((menu) => (
    <button
      key={menu}
      type="button"
      aria-haspopup="menu"
      aria-expanded={false}
      disabled={!onOpen}
      onPointerEnter={Dropdowns.preload}
      onFocus={Dropdowns.preload}
      onClick={() => onOpen?.(menu)}
      className={MENU_TRIGGER}
    >
      {menu} ▾
    </button>
  ));
}

/** Copy and Download for one key; "Copied …" is announced politely. */
export function KeyActionsMenu({
  keyView,
  connectionName,
  jwksUrl,
}: {
  keyView: KeyView;
  connectionName: string;
  jwksUrl: string;
}) {
  const [announcement, setAnnouncement] = useState('');
  const [opened, setOpened] = useState<MenuName | null>(null);
  const certificate = keyView.certificate;
  const source: DownloadSource = {
    connectionName,
    kid: keyView.kid,
    cert: keyView.cert,
    pkcs: keyView.pkcs,
    derBase64: certificate.ok ? certificate.derBase64 : null,
    handOff: keyView.handOff.ok ? keyView.handOff : null,
  };
  const copy = (what: string, text: string) =>
    void navigator.clipboard.writeText(text).then(
      () => setAnnouncement(`Copied ${what}`),
      () => setAnnouncement(`Could not copy ${what}`),
    );
  const download = (kind: DownloadKind) => saveCertificate(source, kind);
  return (
    <div className="flex items-center justify-end gap-2">
      <span aria-live="polite" className="text-xs text-emerald-700">
        {announcement}
      </span>
      {opened === null ? (
        <StandInTriggers onOpen={setOpened} />
      ) : (
        <Suspense fallback={<StandInTriggers />}>
          <Dropdowns.Component keyView={keyView} jwksUrl={jwksUrl} opened={opened} copy={copy} download={download} />
        </Suspense>
      )}
    </div>
  );
}
