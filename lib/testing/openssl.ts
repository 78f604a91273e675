/**
 * Test-only, for every suite that checks certificates against the real `openssl` CLI (lib/certs, the emulator, the
 * end-to-end downloads): builds certificate fixtures and reads back what openssl says about them and about
 * certificates made elsewhere, so the facts under test are checked against an independent implementation rather
 * than against themselves.
 */
import { type ExecFileSyncOptions, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function detectOpenssl(): string | null {
  try {
    return execFileSync('openssl', ['version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export const OPENSSL_VERSION = detectOpenssl();
export const HAS_OPENSSL = OPENSSL_VERSION !== null;
/** Appended to suite titles so a skipped run says why in the reporter output. */
export const OPENSSL_SUITE_NOTE = HAS_OPENSSL ? `(${OPENSSL_VERSION})` : '[SKIPPED: openssl CLI not found on PATH]';

/** What openssl prints for `args`, with `input` (a PEM, say) on its standard input. */
export function openssl(args: string[], input?: string, options: Pick<ExecFileSyncOptions, 'cwd'> = {}): string {
  return execFileSync('openssl', args, { ...options, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

/** The value of a `… Fingerprint=AB:CD…` line (openssl 3 prints `sha1 Fingerprint=`, 1.1 `SHA1 Fingerprint=`). */
const fingerprintOf = (output: string) => output.trim().split('=')[1] ?? '';

/** SHA-1 fingerprint of a certificate file as openssl prints it, or throws if openssl refuses the file. */
export function opensslFingerprint(path: string, form: 'PEM' | 'DER'): string {
  return fingerprintOf(openssl(['x509', '-inform', form, '-in', path, '-noout', '-fingerprint', '-sha1']));
}

/** SHA-1 fingerprint of the certificate a PKCS#7 file holds, via `openssl pkcs7 -print_certs`. */
export function opensslPkcs7Fingerprint(path: string): string {
  const pem = openssl(['pkcs7', '-in', path, '-print_certs']);
  return fingerprintOf(openssl(['x509', '-noout', '-fingerprint', '-sha1'], pem));
}

export const CERT_FIXTURES = [
  'rsa-2048',
  'rsa-3072',
  'rsa-1024',
  'rsa-pss-key',
  'rsa-pss-padding',
  'ec-p256',
  'ec-p384',
  'ec-p521',
  'ed25519',
  'expired',
  'ca',
  'leaf',
] as const;
export type CertFixture = (typeof CERT_FIXTURES)[number];

/** Splits a command line on whitespace; values with spaces (subjects) go in `tail`. */
const cmd = (line: string, ...tail: string[]) => [...line.trim().split(/\s+/), ...tail];

const selfSigned = (name: string, keyOptions: string, subject: string) => [
  cmd(`req -x509 -nodes -days 365 -keyout ${name}.key -out ${name}.pem ${keyOptions}`, '-subj', subject),
];

const RECIPES: Record<CertFixture, string[][]> = {
  // An escaped comma in an RDN exercises DN formatting, not just plain CNs.
  'rsa-2048': selfSigned('rsa-2048', '-newkey rsa:2048 -sha256', '/CN=acme.example.com/O=Acme, Inc.'),
  // High bit set: DER pads the serial with 00, which openssl (and we) must not print.
  'rsa-3072': selfSigned('rsa-3072', '-newkey rsa:3072 -sha384 -set_serial 0x8000000000000001', '/CN=rsa3072'),
  'rsa-1024': selfSigned('rsa-1024', '-newkey rsa:1024 -sha256', '/CN=weak'),
  'rsa-pss-key': selfSigned('rsa-pss-key', '-newkey rsa-pss -pkeyopt rsa_keygen_bits:2048 -sha256', '/CN=pss-key'),
  'rsa-pss-padding': selfSigned('rsa-pss-padding', '-newkey rsa:2048 -sha256 -sigopt rsa_padding_mode:pss', '/CN=pss'),
  'ec-p256': selfSigned('ec-p256', '-newkey ec -pkeyopt ec_paramgen_curve:P-256 -sha256', '/CN=ec256'),
  'ec-p384': selfSigned('ec-p384', '-newkey ec -pkeyopt ec_paramgen_curve:P-384 -sha384 -set_serial 1', '/CN=ec384'),
  'ec-p521': selfSigned('ec-p521', '-newkey ec -pkeyopt ec_paramgen_curve:P-521 -sha512', '/CN=ec521'),
  ed25519: selfSigned('ed25519', '-newkey ed25519', '/CN=ed'),
  // `req -x509` in OpenSSL 3.0 cannot backdate; `ca -selfsign` takes explicit start and end dates.
  expired: [
    cmd('req -new -nodes -newkey rsa:2048 -keyout expired.key -out expired.csr', '-subj', '/CN=expired'),
    cmd(`ca -batch -config ca.cnf -selfsign -keyfile expired.key -in expired.csr -notext
         -startdate 20200101000000Z -enddate 20200201000000Z -out expired.pem`),
  ],
  ca: selfSigned('ca', '-newkey rsa:2048 -sha256', '/CN=Keyshift Test CA'),
  leaf: [
    cmd('req -new -nodes -newkey rsa:2048 -keyout leaf.key -out leaf.csr', '-subj', '/CN=leaf.example'),
    cmd('x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -set_serial 4660 -days 90 -sha256 -out leaf.pem'),
  ],
};

const CA_CONFIG = `[ ca ]
default_ca = test_ca
[ test_ca ]
database = ./index.txt
new_certs_dir = .
default_md = sha256
policy = policy_any
unique_subject = no
rand_serial = yes
[ policy_any ]
commonName = supplied
`;

export interface OpensslWorkspace {
  dir: string;
  run(args: string[]): string;
  path(file: string): string;
  read(file: string): string;
  /** Builds a fixture (and what it depends on) once; returns its PEM path. */
  cert(name: CertFixture): string;
  /** The fixture's certificate PEM text, building it first if needed. */
  certPem(name: CertFixture): string;
  dispose(): void;
}

export function opensslWorkspace(): OpensslWorkspace {
  const dir = mkdtempSync(join(tmpdir(), 'keyshift-certs-'));
  writeFileSync(join(dir, 'ca.cnf'), CA_CONFIG);
  writeFileSync(join(dir, 'index.txt'), '');
  const built = new Set<CertFixture>();
  const workspace: OpensslWorkspace = {
    dir,
    run: (args) => openssl(args, undefined, { cwd: dir }),
    path: (file) => join(dir, file),
    read: (file) => readFileSync(join(dir, file), 'utf8'),
    cert(name) {
      if (name === 'leaf') workspace.cert('ca');
      if (!built.has(name)) {
        for (const args of RECIPES[name]) workspace.run(args);
        built.add(name);
      }
      return join(dir, `${name}.pem`);
    },
    certPem: (name) => readFileSync(workspace.cert(name), 'utf8'),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
  return workspace;
}

export interface OpensslFacts {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  sha1Fingerprint: string;
  sha256Fingerprint: string;
  signatureAlgorithm: string;
  publicKeyAlgorithm: string;
  publicKeyBits: number;
  curve: string | null;
  der: Uint8Array;
}

// RFC 2253 escaping, but in certificate order with ", " between RDNs: the layout @peculiar/x509 prints.
const NAME_OPTIONS = 'esc_2253,esc_ctrl,esc_msb,utf8,dump_nostr,dump_unknown,dump_der,sep_comma_plus_space,sname';

export function opensslFacts(workspace: OpensslWorkspace, pemPath: string): OpensslFacts {
  const x509 = (...args: string[]) => workspace.run(['x509', '-in', pemPath, '-noout', ...args]);
  const value = (output: string, key: string) => {
    const line = output.split('\n').find((l) => l.toLowerCase().startsWith(`${key.toLowerCase()}=`));
    if (line === undefined) throw new Error(`openssl printed no ${key}= line:\n${output}`);
    return line.slice(key.length + 1).trim();
  };
  const names = x509('-subject', '-issuer', '-nameopt', NAME_OPTIONS);
  const dates = x509('-dates');
  const text = x509('-text');
  const match = (pattern: RegExp) => pattern.exec(text)?.[1] ?? null;
  const derPath = `${pemPath}.der`;
  workspace.run(['x509', '-in', pemPath, '-outform', 'DER', '-out', derPath]);
  return {
    subject: value(names, 'subject'),
    issuer: value(names, 'issuer'),
    serialNumber: value(x509('-serial'), 'serial'),
    // openssl prints "Jan  1 00:00:00 2020 GMT", which Date.parse reads on every supported Node.
    notBefore: new Date(value(dates, 'notBefore')).toISOString(),
    notAfter: new Date(value(dates, 'notAfter')).toISOString(),
    sha1Fingerprint: value(x509('-fingerprint', '-sha1'), 'sha1 Fingerprint'),
    sha256Fingerprint: value(x509('-fingerprint', '-sha256'), 'sha256 Fingerprint'),
    signatureAlgorithm: match(/Signature Algorithm: (\S+)/) ?? '',
    publicKeyAlgorithm: match(/Public Key Algorithm: (\S+)/) ?? '',
    publicKeyBits: Number(match(/Public-Key: \((\d+) bit\)/) ?? Number.NaN),
    curve: match(/NIST CURVE: (\S+)/),
    der: new Uint8Array(readFileSync(derPath)),
  };
}
