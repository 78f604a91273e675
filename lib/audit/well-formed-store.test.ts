import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AuditEventInput } from './index';
import { auditBackends, type Scratch } from './test-backends';
import { wellFormed } from './well-formed';

const backends = await auditBackends('lib/audit/well-formed-store.test.ts');

// Any UTF-16 an IdP profile or an Auth0 log can carry: every code point (astral included), lone surrogates of both
// halves, NUL and other controls, the noncharacters and the characters JSON and SQL treat specially.
const unit = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code)), weight: 4 },
  { arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)), weight: 2 },
  {
    arbitrary: fc.constantFrom('\0', '\x01', '\x1b', '\x7f', '\u0085', '\u2028', '\ufeff', '\ufffe', '\uffff'),
    weight: 2,
  },
  { arbitrary: fc.constantFrom('\\', '"', "'", '$$', '\\u0000', '😀', 'e\u0301', '👩‍👩‍👧'), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 4 }), weight: 2 },
);
const anyText = fc.oneof(
  { arbitrary: fc.string({ unit, maxLength: 40 }), weight: 5 },
  // Past every column's cap (4,000 for message), so a cut can land anywhere, next to a pair or inside one.
  { arbitrary: fc.string({ unit, minLength: 200, maxLength: 4_500 }), weight: 1 },
);
const anyDetails = fc.dictionary(
  fc.oneof(anyText, fc.constantFrom('__proto__', 'constructor', '')),
  fc.jsonValue({ stringUnit: unit, maxDepth: 3 }),
  { maxKeys: 6 },
);

const anyEvent: fc.Arbitrary<AuditEventInput> = fc.record({
  type: fc.constantFrom('auth.signin' as const, 'access.denied' as const, 'rotation.external' as const),
  actorSub: anyText,
  actorEmail: anyText,
  actorName: anyText,
  connectionId: anyText.map((id) => `con_${id}`),
  connectionName: anyText,
  clientIp: anyText,
  userAgent: anyText,
  message: anyText,
  errorCode: anyText,
  newKid: anyText,
  details: anyDetails,
});

describe.each(backends)('what is hashed is what is stored, on %s', (_, backend) => {
  const it = backend.available ? test : test.skip;
  let shared: Scratch;
  beforeAll(async () => {
    if (backend.available) shared = await backend.fresh();
  });
  afterAll(async () => shared?.close());

  // Node 24's JSON.parse read the second key back as `\` once the first had been read (see exact-json.ts).
  it('a details key written with an escape reads back as itself after a key `\\` was read', async () => {
    // Behind the key "" (jsonb puts it first: shortest keys first), so that the key read after it is the one that
    // misleads the parser, as the property test below found.
    const first = '';
    for (const second of ['\\', '\u0001', '\\u', '\u0001B']) {
      const details = { [first]: 0, [second]: 1 };
      const stored = await shared.store.append({ type: 'auth.signin', actorSub: 'auth0|escapes', details });
      expect((await shared.store.get(stored.id))?.details).toEqual(details);
    }
    expect((await shared.store.verify()).ok).toBe(true);
  });

  it('any text or details an IdP or an Auth0 log can carry is stored as hashed, and the chain verifies', async () => {
    await fc.assert(
      fc.asyncProperty(anyEvent, async (input) => {
        const stored = await shared.store.append(input);
        expect(await shared.store.get(stored.id)).toEqual(stored);
        // Repaired, not dropped: every key is still there (two keys only merge when they repair to the same text).
        const keys = new Set(Object.keys(input.details ?? {}).map(wellFormed));
        expect(Object.keys(stored.details ?? {}).sort()).toEqual([...keys].sort());
      }),
      { numRuns: backend.kind === 'pglite' ? 100 : 50 },
    );
    const result = await shared.store.verify();
    expect(result.firstBroken).toBeUndefined();
    expect(result.ok).toBe(true);
  }, 120_000);
});
