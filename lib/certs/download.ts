import type { CertificateFacts } from './parse-certificate';

// No zod: the browser builds the downloads from this module.
export const DOWNLOAD_KINDS = ['pem', 'p7b', 'cer', 'jwk', 'jwks'] as const;
export type DownloadKind = (typeof DOWNLOAD_KINDS)[number];

export function isDownloadKind(value: unknown): value is DownloadKind {
  return (DOWNLOAD_KINDS as readonly unknown[]).includes(value);
}

export const DOWNLOAD_MIME_TYPES: Readonly<Record<DownloadKind, string>> = {
  pem: 'application/x-pem-file',
  p7b: 'application/x-pkcs7-certificates',
  cer: 'application/pkix-cert',
  jwk: 'application/jwk+json',
  jwks: 'application/jwk-set+json',
};

/** `.json` last, so the file opens as JSON anywhere; the part before it tells a key from a key set. */
const EXTENSIONS: Readonly<Record<DownloadKind, string>> = {
  pem: 'pem',
  p7b: 'p7b',
  cer: 'cer',
  jwk: 'jwk.json',
  jwks: 'jwks.json',
};

/** Long enough for a connection name and a kid, short enough for every file system and browser. */
export const MAX_FILENAME_LENGTH = 120;

export interface DownloadFile {
  filename: string;
  mimeType: string;
}

/** `{connection-name}-{kid}.{ext}`, safe on every OS: a name from Auth0 must not smuggle paths or odd characters. */
export function downloadFile(connectionName: string, kid: string, kind: DownloadKind): DownloadFile {
  const extension = EXTENSIONS[kind];
  const budget = MAX_FILENAME_LENGTH - extension.length - 1;
  const name = sanitize(connectionName);
  const id = sanitize(kid).slice(0, budget);
  // The kid tells keys apart, so a long connection name gives way first.
  const room = budget - id.length - (name && id ? 1 : 0);
  const stem = trimSeparators([trimSeparators(name.slice(0, Math.max(room, 0))), id].filter(Boolean).join('-'));
  return { filename: `${stem || 'certificate'}.${extension}`, mimeType: DOWNLOAD_MIME_TYPES[kind] };
}

/** What goes into the file: PEM text for .pem and .p7b, the DER bytes for .cer, the JSON text for the JWK forms. */
export function downloadBody(
  kind: DownloadKind,
  certificate: Pick<CertificateFacts, 'pem' | 'der'>,
  pkcsPem: string,
  handOff: { jwk: string; jwks: string } | null,
): string | Uint8Array<ArrayBuffer> {
  if (kind === 'jwk' || kind === 'jwks') {
    if (!handOff) throw new Error('This key has no JWK to download.');
    return handOff[kind];
  }
  switch (kind) {
    case 'pem':
      return certificate.pem;
    case 'p7b':
      return pkcsPem;
    case 'cer':
      return certificate.der;
  }
}

function sanitize(value: string): string {
  return trimSeparators(value.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/-{2,}/g, '-'));
}

/** Leading dots would hide the file on Unix; stray dashes and dots at the ends only look broken. */
function trimSeparators(value: string): string {
  return value.replace(/^[-.]+|[-.]+$/g, '');
}
