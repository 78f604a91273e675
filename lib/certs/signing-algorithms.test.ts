import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type CertFixture,
  HAS_OPENSSL,
  OPENSSL_SUITE_NOTE,
  type OpensslWorkspace,
  opensslWorkspace,
} from '@/lib/testing/openssl';
import { parseCertificate } from './parse-certificate';
import type { PublicKeyFacts } from './public-key';
import { signingAlgSchema } from './signing-alg-schema';
import {
  algorithmKeyWarning,
  algorithmMatchesKey,
  DEFAULT_SIGNING_ALG,
  isSigningAlg,
  SIGNING_ALG_VALUES,
  SIGNING_ALGORITHM_LIST,
  SIGNING_ALGORITHMS,
  type SigningAlg,
} from './signing-algorithms';

describe('signingAlgSchema and SIGNING_ALGORITHMS', () => {
  test.each(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'ES256', 'ES384'])('accepts %s', (alg) => {
    expect(signingAlgSchema.parse(alg)).toBe(alg);
  });

  test.each(['', 'rs256', 'HS256', 'PS512', 'ES512', 'EdDSA', ' RS256', null, 256])('rejects %j', (value) => {
    expect(signingAlgSchema.safeParse(value).success).toBe(false);
    expect(isSigningAlg(value)).toBe(false);
  });

  test('the guard the browser uses accepts exactly what the schema accepts', () => {
    for (const alg of SIGNING_ALG_VALUES) expect(isSigningAlg(alg)).toBe(true);
    expect(signingAlgSchema.options).toEqual([...SIGNING_ALG_VALUES]);
  });

  test('every schema value has one entry, in schema order, and RS256 is the default', () => {
    expect(SIGNING_ALGORITHM_LIST.map((info) => info.value)).toEqual(signingAlgSchema.options);
    expect(Object.keys(SIGNING_ALGORITHMS)).toEqual(signingAlgSchema.options);
    expect(DEFAULT_SIGNING_ALG).toBe('RS256');
  });

  test.each<[SigningAlg, string, string]>([
    ['RS256', 'RSA PKCS#1 v1.5 with SHA-256', 'RSA 2048-bit'],
    ['RS512', 'RSA PKCS#1 v1.5 with SHA-512', 'RSA 2048-bit'],
    ['PS256', 'RSA-PSS with SHA-256', 'RSA 2048-bit'],
    ['PS384', 'RSA-PSS with SHA-384', 'RSA 2048-bit'],
    ['ES256', 'ECDSA on P-256 with SHA-256', 'EC P-256'],
    ['ES384', 'ECDSA on P-384 with SHA-384', 'EC P-384'],
  ])('%s is described as "%s" with key "%s"', (alg, description, key) => {
    expect(SIGNING_ALGORITHMS[alg]).toMatchObject({ value: alg, description, key });
  });
});

const RSA = (bits: number, pssOnly = false): PublicKeyFacts => ({ type: 'RSA', bits, pssOnly });
const EC = (curve: 'P-256' | 'P-384' | 'P-521'): PublicKeyFacts => ({
  type: 'EC',
  curve,
  bits: { 'P-256': 256, 'P-384': 384, 'P-521': 521 }[curve],
});

describe('algorithmMatchesKey', () => {
  test.each<[SigningAlg, PublicKeyFacts, boolean, RegExp | null]>([
    ['RS256', RSA(2048), true, null],
    ['RS512', RSA(4096), true, null],
    ['RS256', RSA(1024), false, /at least 2048 bits.*has 1024/],
    ['RS384', RSA(2047), false, /at least 2048 bits/],
    ['RS256', RSA(2048, true), false, /PSS-only/],
    ['PS256', RSA(2048, true), true, null],
    ['PS384', RSA(3072), true, null],
    ['PS256', RSA(1024), false, /at least 2048/],
    ['RS256', EC('P-256'), false, /needs an RSA key.*EC P-256/],
    ['ES256', EC('P-256'), true, null],
    ['ES384', EC('P-384'), true, null],
    ['ES256', EC('P-384'), false, /needs an EC P-256 key.*EC P-384/],
    ['ES384', EC('P-521'), false, /needs an EC P-384 key/],
    ['ES256', RSA(2048), false, /needs an EC P-256 key.*an RSA key/],
  ])('%s with %j → %s', (alg, publicKey, fits, warning) => {
    expect(algorithmMatchesKey(alg, { publicKey })).toBe(fits);
    const message = algorithmKeyWarning(alg, { publicKey });
    if (warning) expect(message).toMatch(warning);
    else expect(message).toBeNull();
  });
});

describe.skipIf(!HAS_OPENSSL)(`algorithmMatchesKey on openssl keys ${OPENSSL_SUITE_NOTE}`, () => {
  let openssl: OpensslWorkspace;
  beforeAll(() => {
    openssl = opensslWorkspace();
  });
  afterAll(() => openssl?.dispose());

  test.each<[CertFixture, SigningAlg[]]>([
    ['rsa-2048', ['RS256', 'RS384', 'RS512', 'PS256', 'PS384']],
    ['rsa-1024', []],
    ['rsa-pss-key', ['PS256', 'PS384']],
    ['ec-p256', ['ES256']],
    ['ec-p384', ['ES384']],
    ['ec-p521', []],
  ])('%s fits exactly %j', async (fixture, fitting) => {
    const facts = await parseCertificate(openssl.certPem(fixture));
    const fits = signingAlgSchema.options.filter((alg) => algorithmMatchesKey(alg, facts));
    expect(fits).toEqual(fitting);
  });
});
