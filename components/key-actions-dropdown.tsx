'use client';

import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import type { DownloadKind } from '@/lib/certs/download';
import type { KeyView } from '@/lib/keys/types';
import { MENU_TRIGGER, type MenuName } from './key-menu-trigger';

const ITEM =
  'flex cursor-pointer select-none items-center rounded px-2 py-1.5 text-sm text-slate-700 outline-none data-[highlighted]:bg-indigo-50 data-[highlighted]:text-indigo-900 data-[disabled]:opacity-40';

function Menu({ label, defaultOpen, children }: { label: MenuName; defaultOpen: boolean; children: React.ReactNode }) {
  return (
    <DropdownMenu.Root defaultOpen={defaultOpen}>
      <DropdownMenu.Trigger className={MENU_TRIGGER}>{label} ▾</DropdownMenu.Trigger>
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

/** The Copy and Download menus of one key, mounted the first time either is opened (with that one open). */
export function KeyActionsDropdowns({
  keyView,
  jwksUrl,
  opened,
  copy,
  download,
}: {
  keyView: KeyView;
  jwksUrl: string;
  opened: MenuName;
  copy: (what: string, text: string) => void;
  download: (kind: DownloadKind) => void;
}) {
  const { handOff } = keyView;
  // Why there is no JWK (the key's type does not fit its algorithm, say), where the JWK items would be.
  const refusal = handOff.ok ? null : (
    <DropdownMenu.Label className="max-w-64 px-2 py-1.5 text-xs text-red-700">
      No JWK: {handOff.error}
    </DropdownMenu.Label>
  );
  return (
    <>
      <Menu label="Copy" defaultOpen={opened === 'Copy'}>
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
        <DropdownMenu.Separator className="my-1 h-px bg-slate-100" />
        <DropdownMenu.Item
          className={ITEM}
          disabled={!handOff.ok}
          onSelect={() => handOff.ok && copy('JWK', handOff.jwk)}
        >
          JWK
        </DropdownMenu.Item>
        <DropdownMenu.Item
          className={ITEM}
          disabled={!handOff.ok}
          onSelect={() => handOff.ok && copy('JWKS', handOff.jwks)}
        >
          JWKS (this key)
        </DropdownMenu.Item>
        <DropdownMenu.Item className={ITEM} onSelect={() => copy('JWKS URL', jwksUrl)}>
          Connection’s JWKS URL
        </DropdownMenu.Item>
        {refusal}
      </Menu>
      <Menu label="Download" defaultOpen={opened === 'Download'}>
        <DropdownMenu.Item className={ITEM} onSelect={() => download('pem')}>
          Certificate (.pem)
        </DropdownMenu.Item>
        <DropdownMenu.Item className={ITEM} disabled={!keyView.pkcs} onSelect={() => download('p7b')}>
          PKCS#7 (.p7b)
        </DropdownMenu.Item>
        <DropdownMenu.Item className={ITEM} disabled={!keyView.certificate.ok} onSelect={() => download('cer')}>
          DER (.cer)
        </DropdownMenu.Item>
        <DropdownMenu.Separator className="my-1 h-px bg-slate-100" />
        <DropdownMenu.Item className={ITEM} disabled={!handOff.ok} onSelect={() => download('jwk')}>
          JWK (.jwk.json)
        </DropdownMenu.Item>
        <DropdownMenu.Item className={ITEM} disabled={!handOff.ok} onSelect={() => download('jwks')}>
          JWKS (.jwks.json)
        </DropdownMenu.Item>
        {refusal}
      </Menu>
    </>
  );
}
