import { type DownloadKind, downloadBody, downloadFile } from '@/lib/certs/download';
import { saveBlob } from './save-file';

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
  /** The JWK and the one-key JWKS text the server derived, or null when it refused to. */
  handOff: { jwk: string; jwks: string } | null;
}

/** Saves one form of a key under `{connection-name}-{kid}.{ext}` with its proper MIME type. */
export function saveCertificate(source: DownloadSource, kind: DownloadKind): void {
  const certificate = { pem: source.cert, der: base64ToBytes(source.derBase64 ?? '') };
  const body = downloadBody(kind, certificate, source.pkcs ?? '', source.handOff);
  const { filename, mimeType } = downloadFile(source.connectionName, source.kid, kind);
  saveBlob(new Blob([body], { type: mimeType }), filename);
}
