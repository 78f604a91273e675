import { describe, expect, test } from 'vitest';
import {
  type CampaignFilter,
  confirmationPhrase,
  describeSelection,
  filterFromQuery,
  filterQuery,
  type PlanCandidate,
  planCampaign,
  skipReason,
} from './plan';
import { campaignCsv, secondsLeft } from './view';

const row = (name: string, overrides: Partial<PlanCandidate> = {}): PlanCandidate => ({
  connectionId: `con_${name.padEnd(16, 'x').slice(0, 16)}`,
  name,
  state: 'ok',
  readiness: 'ready',
  readinessReason: 'The IdP trusts the next key.',
  algorithm: 'RS256',
  currentKid: `${name}-current`,
  nextKid: `${name}-next`,
  keysState: 'provisioned',
  checkedAt: 0,
  ...overrides,
});

const FLEET = [
  row('overdue-ready', { state: 'overdue' }),
  row('overdue-unready', { state: 'overdue', readiness: 'not_ready', readinessReason: 'Nobody confirmed the kid.' }),
  row('soon-unknown', { state: 'due_soon', readiness: 'unknown', algorithm: 'ES256' }),
  row('fine', { state: 'ok' }),
  row('no-keys', { state: 'no_key', currentKid: null, nextKid: null, keysState: 'not-provisioned', algorithm: null }),
];

const base = { algorithm: 'keep' as const, includeNotReady: false, requestsPerSecond: null };

describe('which connections a campaign takes', () => {
  test.each([
    ['overdue', { kind: 'overdue' as const }, ['overdue-ready', 'overdue-unready']],
    ['due', { kind: 'due' as const }, ['overdue-ready', 'overdue-unready', 'soon-unknown']],
    ['ready', { kind: 'ready' as const }, ['fine', 'overdue-ready']],
    ['names', { kind: 'names' as const, names: ['fine', 'no-keys', 'fine', 'nowhere'] }, ['fine', 'no-keys']],
  ])('%s', (_label, selection, names) => {
    expect(planCampaign(FLEET, selection, base).items.map((item) => item.name)).toEqual(names);
  });

  test('names that are not key-capable connections of the tenant are listed, once', () => {
    const plan = planCampaign(FLEET, { kind: 'names', names: ['nowhere', 'fine', 'nowhere'] }, base);
    expect(plan.unknownNames).toEqual(['nowhere']);
  });
});

describe('what happens to each', () => {
  test('not-ready connections are skipped unless the plan includes them; no keys is always skipped', () => {
    const names = ['overdue-ready', 'overdue-unready', 'soon-unknown', 'no-keys'];
    const skipping = planCampaign(FLEET, { kind: 'names', names }, base);
    expect(skipping.items.map((item) => item.action)).toEqual([
      'skip_no_keys',
      'rotate',
      'skip_not_ready',
      'skip_not_ready',
    ]);
    expect(skipping).toMatchObject({ rotating: 1, skipped: 3, requests: 3 });
    expect(skipReason(skipping.items[2] as never)).toBe('Not ready: Nobody confirmed the kid.');
    const including = planCampaign(FLEET, { kind: 'names', names }, { ...base, includeNotReady: true });
    expect(including.items.map((item) => item.action)).toEqual([
      'skip_no_keys',
      'rotate',
      'rotate_acknowledged',
      'rotate_acknowledged',
    ]);
    expect(including.rotating).toBe(3);
  });

  test('the algorithm is each one’s own when kept, the chosen one otherwise; the kids are the inventory’s', () => {
    const kept = planCampaign(FLEET, { kind: 'due' }, { ...base, includeNotReady: true });
    expect(kept.items.find((item) => item.name === 'soon-unknown')).toMatchObject({
      algorithm: 'ES256',
      expectedCurrentKid: 'soon-unknown-current',
      expectedNextKid: 'soon-unknown-next',
    });
    const chosen = planCampaign(FLEET, { kind: 'due' }, { ...base, algorithm: 'PS256', includeNotReady: true });
    expect(new Set(chosen.items.map((item) => item.algorithm))).toEqual(new Set(['PS256']));
  });

  test('the time is the requests at the campaign’s pace, unknown while the pace is', () => {
    const plan = planCampaign(FLEET, { kind: 'due' }, { ...base, includeNotReady: true, requestsPerSecond: 2 });
    expect(plan).toMatchObject({ requests: 9, estimateSeconds: 5 });
    expect(planCampaign(FLEET, { kind: 'due' }, base).estimateSeconds).toBeNull();
  });
});

test('the phrase names the number and the tenant', () => {
  expect(confirmationPhrase(3, 'prod')).toBe('rotate 3 connections in prod');
  expect(confirmationPhrase(1, 'dev')).toBe('rotate 1 connection in dev');
});

describe('progress', () => {
  const item = (status: string, startedAt: string | null, finishedAt: string | null) =>
    ({ status, startedAt, finishedAt }) as never;
  test('time left: items left at the pace of those finished; unknown before one finished; 0 when none is left', () => {
    const t0 = Date.parse('2026-12-01T00:00:00Z');
    const at = (seconds: number) => new Date(t0 + seconds * 1000).toISOString();
    const items = [
      item('succeeded', at(0), at(2)),
      item('failed', at(2), at(4)),
      item('running', at(4), null),
      item('pending', null, null),
    ];
    expect(secondsLeft(items, t0 + 4000)).toBe(4);
    expect(secondsLeft([item('running', at(0), null), item('pending', null, null)], t0 + 1000)).toBeNull();
    expect(secondsLeft([item('succeeded', at(0), at(1))], t0 + 1000)).toBe(0);
  });

  test('the CSV has a row per item, and a message a spreadsheet would run is defused', () => {
    const csv = campaignCsv({
      items: [
        {
          connectionId: 'con_1',
          name: 'okta-acme',
          algorithm: 'RS256',
          plannedReadiness: 'ready',
          acknowledged: false,
          status: 'failed',
          attempts: 1,
          newKid: null,
          message: '=HYPERLINK("x")',
          startedAt: null,
          finishedAt: null,
        },
      ],
    } as never);
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe(
      'connection,connection_id,algorithm,readiness,status,attempts,new_kid,message,started_at,finished_at',
    );
    expect(lines[1]).toBe(`okta-acme,con_1,RS256,ready,failed,1,,"'=HYPERLINK(""x"")",,`);
  });
});

describe('a fleet filter as the campaigns page takes it', () => {
  const filter: CampaignFilter = {
    state: 'overdue',
    readiness: 'ready',
    algorithm: 'ES256',
    certAttention: true,
    search: 'okta',
  };

  test('it goes through the query unchanged, and names itself', () => {
    const query = Object.fromEntries(new URLSearchParams(filterQuery(filter)));
    expect(filterFromQuery(query)).toEqual(filter);
    expect(describeSelection({ kind: 'filter', filter })).toBe(
      'fleet filter: overdue, ready, ES256, certificate expiring or expired, “okta”',
    );
  });

  test('only a query from the fleet carries one; a value out of range is "all"', () => {
    expect(filterFromQuery({ state: 'overdue' })).toBeNull();
    expect(filterFromQuery({ from: 'fleet', state: 'ancient', algorithm: 'HS256', readiness: ['ready', 'x'] })).toEqual(
      {
        state: 'all',
        readiness: 'all',
        algorithm: 'all',
        certAttention: false,
        search: '',
      },
    );
  });

  test('the plan takes the rows the caller filtered, as they are', () => {
    const plan = planCampaign(FLEET.slice(0, 2), { kind: 'filter', filter }, { ...base, includeNotReady: true });
    expect(plan.items.map((item) => item.name)).toEqual(['overdue-ready', 'overdue-unready']);
    expect(plan.selection).toMatch(/^fleet filter: /);
  });
});
