import { CertificateError } from './errors';
import { PemConverter } from './x509-runtime';

export const CERTIFICATE_LABEL = 'CERTIFICATE';
/** RFC 7468 names PKCS7 and CMS; OpenSSL also writes the legacy "PKCS #7 SIGNED DATA". */
export const PKCS7_LABELS = ['PKCS7', 'CMS', 'PKCS #7 SIGNED DATA'] as const;

const BEGIN_LINE = /-----BEGIN ([^\r\n-]+)-----/;
const END_LINE = /-----END ([^\r\n-]+)-----/;

/**
 * The DER bytes of the single PEM block labelled with one of `labels`. `what` names the thing for messages
 * ("certificate", "PKCS#7 bundle"), because the operator sees them.
 */
export function decodePemBlock(pem: unknown, labels: readonly string[], what: string): Uint8Array<ArrayBuffer> {
  if (typeof pem !== 'string' || pem.trim() === '') {
    throw new CertificateError('empty', `The ${what} is empty.`);
  }
  const text = pem.trim();
  const blocks = readPemBlocks(text, what);
  const wanted = labels[0] ?? CERTIFICATE_LABEL;
  const matching = blocks.filter((block) => labels.includes(block.type));
  if (matching.length === 0) {
    const found = [...new Set(blocks.map((block) => block.type))].join(', ');
    const hint = /PRIVATE KEY/.test(found) ? ' Private keys are never needed here; do not paste them.' : '';
    throw new CertificateError('wrong-pem-type', `Expected a ${wanted} PEM block but found ${found}.${hint}`);
  }
  if (matching.length > 1) {
    throw new CertificateError('multiple-blocks', `The text holds ${matching.length} ${wanted} blocks; expected one.`);
  }
  const [block] = matching;
  return new Uint8Array(block?.rawData ?? new ArrayBuffer(0));
}

function readPemBlocks(text: string, what: string) {
  const begin = BEGIN_LINE.exec(text);
  if (!begin) {
    throw new CertificateError(
      'not-pem',
      `The ${what} is not PEM text: expected a "-----BEGIN …-----" line, base64 lines and an "-----END …-----" line.`,
    );
  }
  const end = END_LINE.exec(text);
  if (!end || end.index < begin.index) {
    throw new CertificateError('truncated-pem', `The ${what} is cut off: it has a BEGIN line but no END line.`);
  }
  let blocks: ReturnType<typeof PemConverter.decodeWithHeaders>;
  try {
    blocks = PemConverter.decodeWithHeaders(text);
  } catch (cause) {
    throw new CertificateError('invalid-base64', `The ${what}'s PEM body is not valid base64.`, { cause });
  }
  // The library's pattern only matches blocks whose body is clean base64 and whose END label matches the BEGIN.
  if (blocks.length === 0) {
    throw new CertificateError(
      'invalid-base64',
      `The ${what}'s PEM body is damaged: it holds characters that are not base64, or its BEGIN and END labels differ.`,
    );
  }
  return blocks;
}

/** DER bytes of a single-certificate PEM. */
export function pemToDer(pem: string): Uint8Array<ArrayBuffer> {
  return decodePemBlock(pem, [CERTIFICATE_LABEL], 'certificate');
}

/** PEM text (64-character lines, trailing newline) for DER bytes; `label` defaults to CERTIFICATE. */
export function derToPem(der: Uint8Array, label: string = CERTIFICATE_LABEL): string {
  if (der.byteLength === 0) throw new CertificateError('empty', 'There are no bytes to encode.');
  return `${PemConverter.encode(new Uint8Array(der), label)}\n`;
}

export function toHex(bytes: Uint8Array, separator = ''): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0').toUpperCase()).join(separator);
}

/** Unpadded base64url (RFC 7515), the encoding of the JOSE `x5t` and `x5t#S256` headers. */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
