import { describe, expect, test } from 'vitest';
import { formatDuration, type ReadinessFacts, readiness } from './readiness';
import { DEFAULT_CACHE_SECONDS, type IdpSetting, type NextKeyAttestation } from './types';

const now = new Date('2026-12-02T12:00:00.000Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
const HOUR = 3_600_000;
const NEXT = 'kid-next';

const confirmed = (kid: string): NextKeyAttestation => ({
  kid,
  bySub: 'auth0|rot',
  byName: 'Rita Rotator',
  byEmail: 'rita@example.com',
  at: '2026-12-02T10:00:00.000Z',
});
const setting = (mode: IdpSetting['mode'], extra: Partial<IdpSetting> = {}): IdpSetting => ({
  mode,
  cacheSeconds: DEFAULT_CACHE_SECONDS,
  attestation: null,
  ...extra,
});

type Row = [string, Omit<ReadinessFacts, 'now'>, 'ready' | 'not_ready' | 'unknown', string];

const rows: Row[] = [
  ['unknown mode', { setting: setting('unknown'), nextKid: NEXT, appearance: null }, 'unknown', 'Nobody has recorded'],
  [
    'unknown mode even with an old next key and an attestation',
    {
      setting: setting('unknown', { attestation: confirmed(NEXT) }),
      nextKid: NEXT,
      appearance: { kid: NEXT, at: ago(30 * 24 * HOUR) },
    },
    'unknown',
    'Nobody has recorded',
  ],
  [
    'jwks_url, next key 2 h old, 24 h cache',
    { setting: setting('jwks_url'), nextKid: NEXT, appearance: { kid: NEXT, at: ago(2 * HOUR) } },
    'not_ready',
    'The IdP caches the JWKS for 24 h; the next key appeared 2 h ago: ready in 22 h.',
  ],
  [
    'jwks_url, next key 25 h old, 24 h cache',
    { setting: setting('jwks_url'), nextKid: NEXT, appearance: { kid: NEXT, at: ago(25 * HOUR) } },
    'ready',
    'The IdP caches the JWKS for 24 h; the next key appeared 25 h ago.',
  ],
  [
    'jwks_url, exactly the cache time is not longer than it',
    { setting: setting('jwks_url'), nextKid: NEXT, appearance: { kid: NEXT, at: ago(24 * HOUR) } },
    'not_ready',
    'ready in 0 min',
  ],
  [
    'jwks_url, 5 min cache, next key 10 min old',
    {
      setting: setting('jwks_url', { cacheSeconds: 300 }),
      nextKid: NEXT,
      appearance: { kid: NEXT, at: ago(HOUR / 6) },
    },
    'ready',
    'The IdP caches the JWKS for 5 min; the next key appeared 10 min ago.',
  ],
  [
    'jwks_url, 7 d cache, next key 3 d old',
    {
      setting: setting('jwks_url', { cacheSeconds: 7 * 86400 }),
      nextKid: NEXT,
      appearance: { kid: NEXT, at: ago(72 * HOUR) },
    },
    'not_ready',
    'The IdP caches the JWKS for 7 d; the next key appeared 3 d ago: ready in 4 d.',
  ],
  [
    'jwks_url, no event in the trail: unknown since when',
    { setting: setting('jwks_url'), nextKid: NEXT, appearance: null },
    'not_ready',
    'does not know since when key kid-next has been published',
  ],
  [
    'jwks_url, the last event introduced another key',
    { setting: setting('jwks_url'), nextKid: NEXT, appearance: { kid: 'kid-older', at: ago(30 * 24 * HOUR) } },
    'not_ready',
    'does not know since when',
  ],
  [
    'jwks_url, an external rotation that did not name its key counts',
    { setting: setting('jwks_url'), nextKid: NEXT, appearance: { kid: null, at: ago(48 * HOUR) } },
    'ready',
    'appeared 2 d ago',
  ],
  [
    'jwks_url, no next key',
    { setting: setting('jwks_url'), nextKid: null, appearance: null },
    'not_ready',
    'The connection has no next key.',
  ],
  [
    'pasted, nobody confirmed',
    { setting: setting('pasted'), nextKid: NEXT, appearance: { kid: NEXT, at: ago(30 * 24 * HOUR) } },
    'not_ready',
    'No IdP admin has confirmed key kid-next yet.',
  ],
  [
    'pasted, confirmed the previous next key only',
    { setting: setting('pasted', { attestation: confirmed('kid-older') }), nextKid: NEXT, appearance: null },
    'not_ready',
    'No IdP admin has confirmed key kid-next yet.',
  ],
  [
    'pasted, confirmed exactly the next key (age and cache do not matter)',
    { setting: setting('pasted', { attestation: confirmed(NEXT), cacheSeconds: 60 }), nextKid: NEXT, appearance: null },
    'ready',
    'Rita Rotator recorded at 2026-12-02T10:00:00.000Z that the IdP admin confirmed key kid-next.',
  ],
  [
    'pasted, no next key',
    { setting: setting('pasted', { attestation: confirmed(NEXT) }), nextKid: null, appearance: null },
    'not_ready',
    'no next key',
  ],
];

describe('readiness: mode × next-key age × cache time × attestation', () => {
  test.each(rows)('%s', (_name, facts, state, reason) => {
    const result = readiness({ ...facts, now });
    expect(result.state).toBe(state);
    expect(result.reason).toContain(reason);
  });
});

describe('formatDuration', () => {
  test.each([
    [60_000, 'down', '1 min'],
    [90 * 60_000, 'down', '1 h 30 min'],
    [24 * HOUR, 'down', '24 h'],
    [7 * 24 * HOUR, 'down', '7 d'],
    [50 * HOUR + 1, 'up', '2 d 3 h'],
    [59_001, 'up', '1 min'],
  ] as const)('%i ms (%s) is %s', (ms, rounding, text) => {
    expect(formatDuration(ms, rounding)).toBe(text);
  });
});
