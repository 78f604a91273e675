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
import { pkcs7Certificates, pkcs7HoldsCertificate } from './pkcs7';

describe.skipIf(!HAS_OPENSSL)(`PKCS#7 bundles from openssl crl2pkcs7 ${OPENSSL_SUITE_NOTE}`, () => {
  let openssl: OpensslWorkspace;
  /** A certs-only PKCS#7 PEM of the fixtures, in this order, the way Auth0's `pkcs` field carries one. */
  const bundle = (...fixtures: CertFixture[]) => {
    const out = `bundle-${fixtures.join('+')}.p7b`;
    const files = fixtures.flatMap((fixture) => ['-certfile', openssl.cert(fixture)]);
    openssl.run(['crl2pkcs7', '-nocrl', ...files, '-out', out]);
    return openssl.read(out);
  };

  beforeAll(() => {
    openssl = opensslWorkspace();
  });
  afterAll(() => openssl?.dispose());

  test.each<CertFixture[]>([['rsa-2048'], ['ec-p384'], ['rsa-pss-key'], ['leaf', 'ca']])(
    'bundle of %s: every certificate comes back with openssl’s fingerprints, in order',
    async (...fixtures) => {
      const pkcs = bundle(...fixtures);
      expect(pkcs).toMatch(/^-----BEGIN PKCS7-----/);
      const held = await pkcs7Certificates(pkcs);
      const expected = fixtures.map((fixture) => opensslFacts(openssl, openssl.cert(fixture)));
      expect(held.map((facts) => facts.sha1Fingerprint)).toEqual(expected.map((facts) => facts.sha1Fingerprint));
      expect(held.map((facts) => facts.der)).toEqual(expected.map((facts) => facts.der));
    },
  );

  test('round trip: openssl pkcs7 -print_certs on the bundle yields the certificates we read from it', async () => {
    const pkcs = bundle('leaf', 'ca');
    const printed = openssl.run(['pkcs7', '-in', 'bundle-leaf+ca.p7b', '-print_certs']);
    const blocks = printed.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g) ?? [];
    expect(blocks).toHaveLength(2);
    const fromOpenssl = await Promise.all(blocks.map((block) => parseCertificate(block)));
    const fromUs = await pkcs7Certificates(pkcs);
    expect(fromUs.map((facts) => facts.pem)).toEqual(fromOpenssl.map((facts) => facts.pem));
    expect(fromUs.map((facts) => facts.subject)).toEqual(['CN=leaf.example', 'CN=Keyshift Test CA']);
  });

  test.each<{ bundled: CertFixture[]; cert: CertFixture; holds: boolean }>([
    { bundled: ['rsa-2048'], cert: 'rsa-2048', holds: true },
    { bundled: ['leaf', 'ca'], cert: 'ca', holds: true },
    { bundled: ['rsa-2048'], cert: 'ec-p256', holds: false },
    { bundled: ['leaf', 'ca'], cert: 'rsa-2048', holds: false },
  ])('pkcs7HoldsCertificate($bundled, $cert) → $holds', async ({ bundled, cert, holds }) => {
    expect(await pkcs7HoldsCertificate(bundle(...bundled), openssl.certPem(cert))).toBe(holds);
  });

  test.each<{ name: string; input: () => string; code: string }>([
    { name: 'a certificate PEM given as the bundle', input: () => openssl.certPem('rsa-2048'), code: 'wrong-pem-type' },
    {
      name: 'a PKCS7 label around certificate bytes',
      input: () => openssl.certPem('rsa-2048').replaceAll('CERTIFICATE', 'PKCS7'),
      code: 'invalid-der',
    },
    { name: 'garbage', input: () => 'not a bundle', code: 'not-pem' },
    { name: 'empty', input: () => '', code: 'empty' },
    {
      name: 'a bundle missing its END line',
      input: () => {
        const pkcs = bundle('rsa-2048');
        return pkcs.slice(0, pkcs.indexOf('-----END'));
      },
      code: 'truncated-pem',
    },
  ])('$name → CertificateError $code', async ({ input, code }) => {
    const error = await pkcs7Certificates(input()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CertificateError);
    expect(error).toMatchObject({ code });
  });
});
