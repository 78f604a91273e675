import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type CertFixture,
  HAS_OPENSSL,
  OPENSSL_SUITE_NOTE,
  type OpensslWorkspace,
  opensslFacts,
  opensslWorkspace,
} from '@/lib/testing/openssl';
import { derToPem, pemToDer, toBase64Url, toHex } from './encoding';
import { CertificateError } from './errors';
import { parseCertificate } from './parse-certificate';

describe.skipIf(!HAS_OPENSSL)(`DER ⇄ PEM against openssl ${OPENSSL_SUITE_NOTE}`, () => {
  let openssl: OpensslWorkspace;
  beforeAll(() => {
    openssl = opensslWorkspace();
  });
  afterAll(() => openssl?.dispose());

  test.each<CertFixture>(['rsa-2048', 'ec-p256', 'rsa-pss-key'])(
    '%s: pemToDer gives openssl’s DER and derToPem gives back openssl’s PEM text',
    (fixture) => {
      const pem = openssl.certPem(fixture);
      const der = pemToDer(pem);
      expect(der).toEqual(opensslFacts(openssl, openssl.cert(fixture)).der);
      expect(derToPem(der)).toBe(pem);
    },
  );

  test('derToPem output is read back by openssl unchanged', () => {
    const der = pemToDer(openssl.certPem('ec-p384'));
    openssl.run(['x509', '-in', openssl.cert('ec-p384'), '-outform', 'DER', '-out', 'ec-p384.der']);
    const viaOpenssl = openssl.run(['x509', '-inform', 'DER', '-in', 'ec-p384.der']);
    expect(derToPem(der)).toBe(viaOpenssl);
  });

  test('bytes appended after the certificate are refused, since they would change the fingerprint', async () => {
    const der = pemToDer(openssl.certPem('rsa-2048'));
    const padded = new Uint8Array([...der, 0x00, 0x01, 0x02]);
    const error = await parseCertificate(derToPem(padded)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CertificateError);
    expect(error).toMatchObject({ code: 'trailing-data', message: expect.stringContaining('3 unexpected bytes') });
  });
});

describe('hex and base64url', () => {
  test.each([
    { bytes: [], separator: '', hex: '' },
    { bytes: [0x00, 0x0f, 0xa0, 0xff], separator: '', hex: '000FA0FF' },
    { bytes: [0x00, 0x0f, 0xa0, 0xff], separator: ':', hex: '00:0F:A0:FF' },
    { bytes: [0x7], separator: ':', hex: '07' },
  ])('toHex($bytes, "$separator") → $hex', ({ bytes, separator, hex }) => {
    expect(toHex(new Uint8Array(bytes), separator)).toBe(hex);
  });

  test.each([[[]], [[0xfb]], [[0xfb, 0xff]], [[0xfb, 0xff, 0xbf]], [Array.from({ length: 300 }, (_, i) => i % 256)]])(
    'toBase64Url(%j) agrees with Node’s base64url (no padding, - and _)',
    (bytes) => {
      expect(toBase64Url(new Uint8Array(bytes))).toBe(Buffer.from(bytes).toString('base64url'));
    },
  );

  test('derToPem refuses empty input', () => {
    expect(() => derToPem(new Uint8Array())).toThrow(CertificateError);
  });
});
