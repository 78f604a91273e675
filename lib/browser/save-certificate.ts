import { type DownloadKind, downloadFile } from '@/lib/certs/download';

function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

export interface DownloadSource {
  connectionName: string;
  kid: string;
  cert: string;
  pkcs: string | null;
  derBase64: string | null;
}

/** Saves one form of a key's certificate under `{connection-name}-{kid}.{ext}` with its proper MIME type. */
export function saveCertificate(source: DownloadSource, kind: DownloadKind): void {
  const body =
    kind === 'pem' ? source.cert : kind === 'p7b' ? (source.pkcs ?? '') : base64ToBytes(source.derBase64 ?? '');
  const { filename, mimeType } = downloadFile(source.connectionName, source.kid, kind);
  const blob = new Blob([body], { type: mimeType });
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
