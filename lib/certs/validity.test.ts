import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HAS_OPENSSL, OPENSSL_SUITE_NOTE, type OpensslWorkspace, opensslWorkspace } from '@/lib/testing/openssl';
import { parseCertificate } from './parse-certificate';
import { type ValidityStatus, validity } from './validity';

const cert = { notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2027-01-01T00:00:00.000Z' };
const HOUR = 60 * 60 * 1000;
const at = (iso: string, offsetMs = 0) => new Date(Date.parse(iso) + offsetMs);

describe('validity at a fixed now', () => {
  test.each<{ now: Date; status: ValidityStatus; daysLeft: number; label: string }>([
    { now: at('2025-12-29T00:00:00Z'), status: 'not-yet-valid', daysLeft: 368, label: 'becomes valid in 3 days' },
    { now: at('2025-12-31T00:00:00Z'), status: 'not-yet-valid', daysLeft: 366, label: 'becomes valid in 1 day' },
    {
      now: at(cert.notBefore, -HOUR),
      status: 'not-yet-valid',
      daysLeft: 365,
      label: 'becomes valid in less than a day',
    },
    { now: at(cert.notBefore), status: 'valid', daysLeft: 365, label: 'expires in 365 days' },
    { now: at('2026-01-01T12:00:00Z'), status: 'valid', daysLeft: 364, label: 'expires in 364 days' },
    { now: at('2026-12-01T00:00:00Z'), status: 'valid', daysLeft: 31, label: 'expires in 31 days' },
    { now: at('2026-12-02T00:00:00Z'), status: 'expiring', daysLeft: 30, label: 'expires in 30 days' },
    { now: at('2026-12-31T00:00:00Z'), status: 'expiring', daysLeft: 1, label: 'expires in 1 day' },
    { now: at(cert.notAfter, -HOUR), status: 'expiring', daysLeft: 0, label: 'expires in less than a day' },
    { now: at(cert.notAfter), status: 'expiring', daysLeft: 0, label: 'expires in less than a day' },
    { now: at(cert.notAfter, HOUR), status: 'expired', daysLeft: 0, label: 'expired less than a day ago' },
    { now: at('2027-01-02T06:00:00Z'), status: 'expired', daysLeft: -1, label: 'expired 1 day ago' },
    { now: at('2027-01-04T00:00:00Z'), status: 'expired', daysLeft: -3, label: 'expired 3 days ago' },
  ])('at $now → $status, "$label"', ({ now, status, daysLeft, label }) => {
    expect(validity(cert, now)).toEqual({ status, daysLeft, label });
  });

  test('defaults to the current time', () => {
    const farFuture = { notBefore: '2000-01-01T00:00:00Z', notAfter: '2999-01-01T00:00:00Z' };
    expect(validity(farFuture).status).toBe('valid');
  });
});

describe.skipIf(!HAS_OPENSSL)(`validity of openssl certificates ${OPENSSL_SUITE_NOTE}`, () => {
  let openssl: OpensslWorkspace;
  beforeAll(() => {
    openssl = opensslWorkspace();
  });
  afterAll(() => openssl?.dispose());

  test('a certificate that ended on 2020-02-01 is expired, with the days counted from then', async () => {
    const facts = await parseCertificate(openssl.certPem('expired'));
    expect(validity(facts, new Date('2020-02-04T12:00:00Z'))).toEqual({
      status: 'expired',
      daysLeft: -3,
      label: 'expired 3 days ago',
    });
    expect(validity(facts).status).toBe('expired');
  });

  test('a fresh 365-day certificate is valid for a year from now', async () => {
    const facts = await parseCertificate(openssl.certPem('ec-p256'));
    const now = new Date(Date.parse(facts.notBefore) + 36 * HOUR);
    expect(validity(facts, now)).toEqual({ status: 'valid', daysLeft: 363, label: 'expires in 363 days' });
  });
});
