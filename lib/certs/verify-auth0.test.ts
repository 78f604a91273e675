import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  HAS_OPENSSL,
  OPENSSL_SUITE_NOTE,
  type OpensslWorkspace,
  opensslFacts,
  opensslWorkspace,
} from '@/lib/testing/openssl';
import { parseCertificate } from './parse-certificate';
import { verifyAgainstAuth0 } from './verify-auth0';

const FINGERPRINT = '3B:A2:3D:70:7D:69:68:45:00:68:05:47:A4:73:38:04:5E:D4:BE:2D';
const THUMBPRINT = FINGERPRINT.replaceAll(':', '');
const facts = { sha1Fingerprint: FINGERPRINT, sha1Thumbprint: THUMBPRINT };

/** Replaces the hex digit at `index` with a different one. */
const tamper = (value: string, index: number) =>
  value.slice(0, index) + (value[index] === 'A' ? 'B' : 'A') + value.slice(index + 1);

describe('verifyAgainstAuth0', () => {
  test.each<{ name: string; fingerprint: string; thumbprint: string; matches: [boolean, boolean]; hint?: RegExp }>([
    { name: "Auth0's exact format", fingerprint: FINGERPRINT, thumbprint: THUMBPRINT, matches: [true, true] },
    {
      name: 'lower-case (case is forgiven)',
      fingerprint: FINGERPRINT.toLowerCase(),
      thumbprint: THUMBPRINT.toLowerCase(),
      matches: [true, true],
    },
    {
      name: 'one fingerprint digit tampered',
      fingerprint: tamper(FINGERPRINT, 7),
      thumbprint: THUMBPRINT,
      matches: [false, true],
      hint: /does not match the certificate \(first difference at character 8\)/,
    },
    {
      name: 'last thumbprint digit tampered',
      fingerprint: FINGERPRINT,
      thumbprint: tamper(THUMBPRINT, 39),
      matches: [true, false],
      hint: /first difference at character 40/,
    },
    {
      name: 'fingerprint without separators',
      fingerprint: THUMBPRINT,
      thumbprint: THUMBPRINT,
      matches: [false, true],
      hint: /right digest in the wrong format/,
    },
    {
      name: 'thumbprint with separators',
      fingerprint: FINGERPRINT,
      thumbprint: FINGERPRINT,
      matches: [true, false],
      hint: /right digest in the wrong format/,
    },
    {
      name: 'fingerprint with dashes',
      fingerprint: FINGERPRINT.replaceAll(':', '-'),
      thumbprint: THUMBPRINT,
      matches: [false, true],
      hint: /wrong format/,
    },
    {
      name: 'surrounding whitespace',
      fingerprint: ` ${FINGERPRINT}`,
      thumbprint: THUMBPRINT,
      matches: [false, true],
    },
    { name: 'empty values', fingerprint: '', thumbprint: '', matches: [false, false], hint: /Auth0 returned no/ },
  ])('$name', ({ fingerprint, thumbprint, matches, hint }) => {
    const result = verifyAgainstAuth0(facts, { fingerprint, thumbprint });
    expect(result.checks.map((c) => [c.field, c.matches])).toEqual([
      ['fingerprint', matches[0]],
      ['thumbprint', matches[1]],
    ]);
    expect(result.verified).toBe(matches[0] && matches[1]);
    expect(result.checks[0]).toMatchObject({ expected: fingerprint, actual: FINGERPRINT });
    expect(result.checks[1]).toMatchObject({ expected: thumbprint, actual: THUMBPRINT });
    for (const check of result.checks) {
      expect(check.message).toMatch(check.matches ? /matches the certificate/ : /Auth0/);
    }
    if (hint) expect(result.checks.map((c) => c.message).join(' ')).toMatch(hint);
  });
});

describe.skipIf(!HAS_OPENSSL)(`verifyAgainstAuth0 with openssl's digests ${OPENSSL_SUITE_NOTE}`, () => {
  let openssl: OpensslWorkspace;
  beforeAll(() => {
    openssl = opensslWorkspace();
  });
  afterAll(() => openssl?.dispose());

  test.each(['rsa-2048', 'ec-p256'] as const)('%s: the values Auth0 would send verify', async (fixture) => {
    const facts = await parseCertificate(openssl.certPem(fixture));
    const { sha1Fingerprint } = opensslFacts(openssl, openssl.cert(fixture));
    const auth0 = { fingerprint: sha1Fingerprint, thumbprint: sha1Fingerprint.replaceAll(':', '') };
    expect(verifyAgainstAuth0(facts, auth0).verified).toBe(true);
    expect(verifyAgainstAuth0(facts, { ...auth0, thumbprint: tamper(auth0.thumbprint, 0) }).verified).toBe(false);
  });
});
