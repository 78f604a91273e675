import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type CertFixture,
  HAS_OPENSSL,
  OPENSSL_SUITE_NOTE,
  type OpensslWorkspace,
  opensslFacts,
  opensslWorkspace,
} from '@/lib/testing/openssl';
import { CertificateError } from './errors';
import { parseCertificate } from './parse-certificate';
import type { PublicKeyFacts } from './public-key';

// openssl names an RSASSA-PSS signature "rsassaPss"; we use the RFC 4055 spelling.
const OPENSSL_SIGNATURE_NAMES: Record<string, string> = { rsassaPss: 'RSASSA-PSS' };

describe.skipIf(!HAS_OPENSSL)(`parseCertificate against openssl ${OPENSSL_SUITE_NOTE}`, () => {
  let openssl: OpensslWorkspace;
  beforeAll(() => {
    openssl = opensslWorkspace();
  });
  afterAll(() => openssl?.dispose());

  test.each<{ fixture: CertFixture; publicKey: PublicKeyFacts; selfSigned: boolean; hash: string }>([
    { fixture: 'rsa-2048', publicKey: { type: 'RSA', bits: 2048, pssOnly: false }, selfSigned: true, hash: 'SHA-256' },
    { fixture: 'rsa-3072', publicKey: { type: 'RSA', bits: 3072, pssOnly: false }, selfSigned: true, hash: 'SHA-384' },
    { fixture: 'rsa-1024', publicKey: { type: 'RSA', bits: 1024, pssOnly: false }, selfSigned: true, hash: 'SHA-256' },
    {
      fixture: 'rsa-pss-key',
      publicKey: { type: 'RSA', bits: 2048, pssOnly: true },
      selfSigned: true,
      hash: 'SHA-256',
    },
    {
      fixture: 'rsa-pss-padding',
      publicKey: { type: 'RSA', bits: 2048, pssOnly: false },
      selfSigned: true,
      hash: 'SHA-256',
    },
    { fixture: 'ec-p256', publicKey: { type: 'EC', curve: 'P-256', bits: 256 }, selfSigned: true, hash: 'SHA-256' },
    { fixture: 'ec-p384', publicKey: { type: 'EC', curve: 'P-384', bits: 384 }, selfSigned: true, hash: 'SHA-384' },
    { fixture: 'ec-p521', publicKey: { type: 'EC', curve: 'P-521', bits: 521 }, selfSigned: true, hash: 'SHA-512' },
    { fixture: 'expired', publicKey: { type: 'RSA', bits: 2048, pssOnly: false }, selfSigned: true, hash: 'SHA-256' },
    { fixture: 'leaf', publicKey: { type: 'RSA', bits: 2048, pssOnly: false }, selfSigned: false, hash: 'SHA-256' },
  ])('$fixture: facts equal what openssl prints', async ({ fixture, publicKey, selfSigned, hash }) => {
    const expected = opensslFacts(openssl, openssl.cert(fixture));
    const facts = await parseCertificate(openssl.certPem(fixture));

    expect(facts).toMatchObject({
      subject: expected.subject,
      issuer: expected.issuer,
      serialNumber: expected.serialNumber,
      notBefore: expected.notBefore,
      notAfter: expected.notAfter,
      sha1Fingerprint: expected.sha1Fingerprint,
      sha1Thumbprint: expected.sha1Fingerprint.replaceAll(':', ''),
      sha256Fingerprint: expected.sha256Fingerprint,
      selfSigned,
      publicKey,
    });
    expect(facts.signatureAlgorithm).toEqual({
      name: OPENSSL_SIGNATURE_NAMES[expected.signatureAlgorithm] ?? expected.signatureAlgorithm,
      hash,
    });
    expect(facts.publicKey.bits).toBe(expected.publicKeyBits);
    expect(facts.publicKey.type === 'EC' ? facts.publicKey.curve : null).toBe(expected.curve);
    expect(facts.der).toEqual(expected.der);

    const sha1 = Buffer.from(expected.sha1Fingerprint.replaceAll(':', ''), 'hex');
    const sha256 = Buffer.from(expected.sha256Fingerprint.replaceAll(':', ''), 'hex');
    expect(facts.x5t).toBe(sha1.toString('base64url'));
    expect(facts.x5tS256).toBe(sha256.toString('base64url'));
  });

  test('subject common name and the DN escaping of a comma inside an RDN', async () => {
    const facts = await parseCertificate(openssl.certPem('rsa-2048'));
    expect(facts.subject).toBe('CN=acme.example.com, O=Acme\\, Inc.');
    expect(facts.subjectCommonName).toBe('acme.example.com');
  });

  test.each([
    ['CRLF line endings', (pem: string) => pem.replaceAll('\n', '\r\n')],
    ['surrounding whitespace', (pem: string) => `\n\n   ${pem}\n\n`],
    ['openssl -text preamble before the block', (pem: string) => `Certificate:\n    Data: ...\n${pem}`],
  ])('tolerates %s', async (_, reshape) => {
    const pem = openssl.certPem('ec-p256');
    const plain = await parseCertificate(pem);
    const reshaped = await parseCertificate(reshape(pem));
    expect(reshaped.sha1Fingerprint).toBe(plain.sha1Fingerprint);
    expect(reshaped.pem).toBe(pem);
  });

  test.each<{ name: string; input: (files: { cert: string; key: string; other: string }) => string; code: string }>([
    { name: 'a private key', input: ({ key }) => key, code: 'wrong-pem-type' },
    { name: 'two certificates', input: ({ cert, other }) => `${cert}${other}`, code: 'multiple-blocks' },
    {
      name: 'a PEM missing its END line',
      input: ({ cert }) => cert.slice(0, cert.indexOf('-----END')),
      code: 'truncated-pem',
    },
    {
      name: 'a PEM cut short in the middle of its body',
      input: ({ cert }) => {
        const lines = cert.trim().split('\n');
        return [...lines.slice(0, 6), lines.at(-1)].join('\n');
      },
      code: 'invalid-der',
    },
    { name: 'an Ed25519 certificate', input: ({ other }) => other, code: 'unsupported-key' },
  ])('$name is a CertificateError ($code)', async ({ input, code }) => {
    const files = {
      cert: openssl.certPem('rsa-2048'),
      key: openssl.read('rsa-2048.key'),
      other: openssl.certPem('ed25519'),
    };
    const error = await parseCertificate(input(files)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CertificateError);
    expect(error).toMatchObject({ code, message: expect.stringMatching(/\w+.*\.$/) });
  });

  test('a private key is refused with a warning not to paste it', async () => {
    const error = await parseCertificate(openssl.read('rsa-2048.key')).catch((e: unknown) => e);
    expect((error as CertificateError).message).toMatch(/PRIVATE KEY.*never needed/);
  });
});

describe('parseCertificate on inputs that are not certificates', () => {
  test.each<{ name: string; input: unknown; code: string }>([
    { name: 'empty string', input: '', code: 'empty' },
    { name: 'whitespace', input: ' \n\t ', code: 'empty' },
    { name: 'undefined at runtime', input: undefined, code: 'empty' },
    { name: 'garbage text', input: 'hello, this is not a certificate', code: 'not-pem' },
    { name: 'bare base64', input: 'MIIBszCCAVmgAwIBAgIU', code: 'not-pem' },
    {
      name: 'non-base64 characters in the body',
      input: '-----BEGIN CERTIFICATE-----\nMIIB!!szCC\n-----END CERTIFICATE-----\n',
      code: 'invalid-base64',
    },
    {
      name: 'mismatched BEGIN/END labels',
      input: '-----BEGIN CERTIFICATE-----\nMIIBszCC\n-----END PKCS7-----\n',
      code: 'invalid-base64',
    },
    {
      name: 'base64 of the wrong length',
      input: '-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n',
      code: 'invalid-base64',
    },
    {
      name: 'valid base64 that is not DER',
      input: '-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n',
      code: 'invalid-der',
    },
    {
      name: 'a DER SEQUENCE that is not a certificate',
      input: '-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n',
      code: 'invalid-der',
    },
  ])('$name → CertificateError $code', async ({ input, code }) => {
    const error = await parseCertificate(input as string).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CertificateError);
    expect(error).toMatchObject({ name: 'CertificateError', code });
  });
});
