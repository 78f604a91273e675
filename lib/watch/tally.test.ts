import { describe, expect, test } from 'vitest';
import { addSignIns, emptyTally, isKeyFailure, readIntoTally, type SignInEvent } from './tally';

const window = { start: new Date('2026-01-01T10:00:00.000Z'), end: new Date('2026-01-01T10:15:00.000Z') };
let seq = 0;
const event = (type: string, at: string, description: string | null = null): SignInEvent => ({
  logId: `log${String(++seq).padStart(4, '0')}`,
  date: `2026-01-01T${at}Z`,
  type,
  description,
});
const KID_INVALID = 'invalid_client: The client_assertion JWT kid is invalid';

describe('isKeyFailure', () => {
  test.each([
    [KID_INVALID, true],
    ['invalid_client: the CLIENT_ASSERTION signature does not verify', true],
    ['Kid Is Invalid', true],
    ['Wrong email or password.', false],
    ['invalid_client: client authentication failed', false],
    ['invalid_client: The client_assertion JWT has expired', false],
    ['invalid_client: client_assertion audience is invalid', false],
    ['AADSTS700027: Client assertion contains an invalid signature. The key was not found.', true],
    ['invalid_client_credentials: Unable to load public key', true],
    ['unknown kid "abc"', true],
    [null, false],
  ])('%j → %s', (description, expected) => {
    expect(isKeyFailure(description)).toBe(expected);
  });
});

describe('addSignIns', () => {
  test.each([
    ['nothing', [], { succeeded: 0, failed: 0, keyFailures: 0 }],
    [
      'successes only',
      [event('s', '10:01:00.000'), event('s', '10:02:00.000')],
      { succeeded: 2, failed: 0, keyFailures: 0 },
    ],
    [
      'key failures and another failure',
      [
        event('f', '10:01:00.000', KID_INVALID),
        event('f', '10:02:00.000', 'Wrong password'),
        event('s', '10:03:00.000'),
      ],
      { succeeded: 1, failed: 2, keyFailures: 1 },
    ],
    [
      'before the rotation: not counted',
      [event('f', '09:59:59.999', KID_INVALID)],
      { succeeded: 0, failed: 0, keyFailures: 0 },
    ],
    ['at the window end: not counted', [event('s', '10:15:00.000')], { succeeded: 0, failed: 0, keyFailures: 0 }],
    ['at the rotation: counted', [event('s', '10:00:00.000')], { succeeded: 1, failed: 0, keyFailures: 0 }],
    [
      'key failures, then the IdP trusts the key: the latest success is later than the latest key failure',
      [event('f', '10:02:00.000', KID_INVALID), event('s', '10:04:00.000'), event('f', '10:03:00.000', KID_INVALID)],
      { keyFailures: 2, lastKeyFailureAt: '2026-01-01T10:03:00.000Z', lastSucceededAt: '2026-01-01T10:04:00.000Z' },
    ],
    [
      'other log types: ignored',
      [event('sapi', '10:01:00.000'), event('seccft', '10:01:00.000')],
      { succeeded: 0, failed: 0, keyFailures: 0 },
    ],
  ])('%s', (_label, events, expected) => {
    expect(addSignIns(emptyTally(), events, window)).toMatchObject(expected);
  });

  test('counts an event once however often it is read, and keeps the first failure time and the latest five', () => {
    const failures = Array.from({ length: 7 }, (_, i) => event('f', `10:0${i + 1}:00.000`, KID_INVALID));
    const once = addSignIns(emptyTally(), failures, window);
    const twice = addSignIns(once, failures, window);
    expect(twice).toMatchObject({ failed: 7, keyFailures: 7, firstFailureAt: '2026-01-01T10:01:00.000Z' });
    expect(twice.latestFailures.map((failure) => failure.date)).toEqual(
      ['07', '06', '05', '04', '03'].map((minute) => `2026-01-01T10:${minute}:00.000Z`),
    );
  });

  test('two events in one millisecond: the second, read later, still counts', () => {
    const first = event('s', '10:01:00.000');
    const second = event('s', '10:01:00.000');
    const tally = addSignIns(addSignIns(emptyTally(), [first], window), [second, first], window);
    expect(tally.succeeded).toBe(2);
  });
});

describe('readIntoTally', () => {
  /** Pages of `perPage` over the events, newest first, counting the reads. */
  function pages(events: SignInEvent[], perPage: number) {
    const newestFirst = [...events].reverse();
    const reader = async (page: number) => {
      reader.reads += 1;
      const slice = newestFirst.slice(page * perPage, (page + 1) * perPage);
      return { events: slice, more: slice.length === perPage };
    };
    reader.reads = 0;
    return reader;
  }

  test('reads until the rotation, then only what is new', async () => {
    const events = [event('s', '09:59:00.000'), ...Array.from({ length: 5 }, (_, i) => event('s', `10:0${i}:30.000`))];
    const reader = pages(events, 2);
    const first = await readIntoTally(reader, emptyTally(), window, { maxPages: 10 });
    expect(first).toMatchObject({ succeeded: 5, complete: true });
    expect(reader.reads).toBe(3);

    events.push(event('f', '10:06:00.000', KID_INVALID));
    const again = pages(events, 2);
    const second = await readIntoTally(again, first, window, { maxPages: 10 });
    expect(second).toMatchObject({ succeeded: 5, failed: 1, keyFailures: 1 });
    // The newest page, and the one that reaches past the overlap read again for late events.
    expect(again.reads).toBe(2);
  });

  test('an event Auth0 indexes late, dated before the newest one counted, is counted once it shows up', async () => {
    const events = [event('s', '10:01:00.000'), event('s', '10:02:00.000')];
    const first = await readIntoTally(pages(events, 10), emptyTally(), window, { maxPages: 10 });
    expect(first).toMatchObject({ succeeded: 2, failed: 0 });
    // Dated 10:01:30, after the last read had seen 10:02: within the overlap, so it is read and counted.
    events.splice(1, 0, event('f', '10:01:30.000', KID_INVALID));
    const second = await readIntoTally(pages(events, 10), first, window, { maxPages: 10 });
    expect(second).toMatchObject({ succeeded: 2, failed: 1, keyFailures: 1 });
    const third = await readIntoTally(pages(events, 10), second, window, { maxPages: 10 });
    expect(third).toMatchObject({ succeeded: 2, failed: 1, keyFailures: 1 });
  });

  test('stops at its page limit and says the counts are a floor', async () => {
    const events = Array.from({ length: 9 }, (_, i) => event('s', `10:0${i}:00.000`));
    const reader = pages(events, 2);
    const tally = await readIntoTally(reader, emptyTally(), window, { maxPages: 2 });
    expect(tally).toMatchObject({ succeeded: 4, complete: false });
    expect(reader.reads).toBe(2);
  });
});
