import { describe, expect, test } from 'vitest';
import {
  DOWNLOAD_KINDS,
  type DownloadKind,
  downloadBody,
  downloadFile,
  isDownloadKind,
  MAX_FILENAME_LENGTH,
} from './download';

const KID = 'fNZQ9uRlDHU1_pE1-Pp0ZK8Kr5xFVExqG8ZKB4C0LWQ';

describe('downloadFile', () => {
  test.each<{ connection: string; kid: string; kind: DownloadKind; filename: string }>([
    { connection: 'acme-okta', kid: 'abc123', kind: 'pem', filename: 'acme-okta-abc123.pem' },
    { connection: 'acme-okta', kid: 'abc123', kind: 'p7b', filename: 'acme-okta-abc123.p7b' },
    { connection: 'acme-okta', kid: 'abc123', kind: 'cer', filename: 'acme-okta-abc123.cer' },
    { connection: 'Acme_Corp.v2', kid: KID, kind: 'pem', filename: `Acme_Corp.v2-${KID}.pem` },
    { connection: 'Acme Corp (EU) / SSO', kid: 'k1', kind: 'pem', filename: 'Acme-Corp-EU-SSO-k1.pem' },
    { connection: '../../etc/passwd', kid: 'k1', kind: 'pem', filename: 'etc-passwd-k1.pem' },
    { connection: '.hidden', kid: 'k1', kind: 'cer', filename: 'hidden-k1.cer' },
    { connection: 'a---b', kid: '--k--1--', kind: 'pem', filename: 'a-b-k-1.pem' },
    { connection: 'ünïcödé-Ö', kid: 'k1', kind: 'pem', filename: 'n-c-d-k1.pem' },
    { connection: 'name\nwith\ttabs\u0000', kid: 'k:1/2', kind: 'pem', filename: 'name-with-tabs-k-1-2.pem' },
    { connection: '日本語', kid: 'k1', kind: 'pem', filename: 'k1.pem' },
    { connection: '', kid: '', kind: 'p7b', filename: 'certificate.p7b' },
    { connection: '***', kid: '///', kind: 'cer', filename: 'certificate.cer' },
    { connection: 'acme-okta', kid: 'abc123', kind: 'jwk', filename: 'acme-okta-abc123.jwk.json' },
    { connection: 'acme-okta', kid: 'abc123', kind: 'jwks', filename: 'acme-okta-abc123.jwks.json' },
    { connection: '../x', kid: 'k:1', kind: 'jwks', filename: 'x-k-1.jwks.json' },
    { connection: '', kid: '', kind: 'jwk', filename: 'certificate.jwk.json' },
  ])('($connection, $kid, $kind) → $filename', ({ connection, kid, kind, filename }) => {
    expect(downloadFile(connection, kid, kind).filename).toBe(filename);
  });

  test.each<{ name: string; connection: string; kid: string; startsWith: string; endsWith: string }>([
    {
      name: 'a very long connection name gives way to the kid',
      connection: 'c'.repeat(500),
      kid: KID,
      startsWith: 'ccc',
      endsWith: `-${KID}.pem`,
    },
    { name: 'a very long kid is cut', connection: 'acme', kid: 'k'.repeat(500), startsWith: 'kkk', endsWith: 'k.pem' },
    {
      name: 'a cut never leaves a dangling dash',
      connection: `${'c'.repeat(71)}----${'d'.repeat(100)}`,
      kid: KID,
      startsWith: 'ccc',
      endsWith: `c-${KID}.pem`,
    },
    {
      name: 'a long kid leaves room for the two-part .jwks.json extension',
      connection: 'acme',
      kid: 'k'.repeat(500),
      startsWith: 'kkk',
      endsWith: 'k.jwks.json',
    },
  ])('$name', ({ connection, kid, startsWith, endsWith }) => {
    const kind: DownloadKind = endsWith.endsWith('.jwks.json') ? 'jwks' : 'pem';
    const { filename } = downloadFile(connection, kid, kind);
    expect(filename.length).toBeLessThanOrEqual(MAX_FILENAME_LENGTH);
    expect(filename.length).toBeGreaterThan(MAX_FILENAME_LENGTH - 5);
    expect(filename.startsWith(startsWith)).toBe(true);
    expect(filename.endsWith(endsWith)).toBe(true);
    expect(filename).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(filename).not.toMatch(/--/);
  });

  test.each<[DownloadKind, string]>([
    ['pem', 'application/x-pem-file'],
    ['p7b', 'application/x-pkcs7-certificates'],
    ['cer', 'application/pkix-cert'],
    ['jwk', 'application/jwk+json'],
    ['jwks', 'application/jwk-set+json'],
  ])('%s is served as %s', (kind, mimeType) => {
    expect(downloadFile('acme', 'k1', kind).mimeType).toBe(mimeType);
  });

  test('the kind schema accepts exactly pem, p7b, cer, jwk and jwks', () => {
    expect(DOWNLOAD_KINDS).toEqual(['pem', 'p7b', 'cer', 'jwk', 'jwks']);
    for (const kind of DOWNLOAD_KINDS) expect(isDownloadKind(kind)).toBe(true);
    for (const other of ['der', 'PEM', 'json', 'jwk.json', '', null]) expect(isDownloadKind(other)).toBe(false);
  });
});

describe('downloadBody', () => {
  const certificate = { pem: '-----BEGIN CERTIFICATE-----\n…', der: new Uint8Array([0x30, 0x82]) };
  const pkcs = '-----BEGIN PKCS7-----\n…';
  const handOff = { jwk: '{"kid":"k1"}', jwks: '{"keys":[{"kid":"k1"}]}' };

  test.each<[DownloadKind, unknown]>([
    ['pem', certificate.pem],
    ['p7b', pkcs],
    ['cer', certificate.der],
    ['jwk', handOff.jwk],
    ['jwks', handOff.jwks],
  ])('%s carries %j', (kind, body) => {
    expect(downloadBody(kind, certificate, pkcs, handOff)).toBe(body);
  });

  test.each<DownloadKind>(['jwk', 'jwks'])('%s without a JWK is refused, not saved empty', (kind) => {
    expect(() => downloadBody(kind, certificate, pkcs, null)).toThrow(/no JWK/);
  });
});
