import { describe, expect, it } from 'vitest';
import {
  compareFleet,
  countFleet,
  type FleetRow,
  filterFleet,
  fleetCsv,
  NO_FILTERS,
  packFleet,
  unpackFleet,
} from './fleet';
import { DAY_MS } from './policy';

const NOW = Date.parse('2026-12-03T12:00:00Z');

function row(name: string, overrides: Partial<FleetRow> = {}): FleetRow {
  return {
    tenantSlug: 'prod',
    tenantName: 'Production',
    production: true,
    connectionId: `con_${name}`,
    name,
    strategy: 'okta',
    keysState: 'provisioned',
    currentKid: `kid-${name}`,
    algorithm: 'RS256',
    currentSince: NOW - 100 * DAY_MS,
    periodDays: 365,
    periodSource: 'default',
    dueAt: NOW + 265 * DAY_MS,
    state: 'ok',
    certNotAfter: NOW + 265 * DAY_MS,
    certState: 'ok',
    readiness: 'unknown',
    readinessReason: 'Nobody recorded how the IdP learns keys.',
    checkedAt: NOW - 60_000,
    stale: false,
    error: null,
    ...overrides,
  };
}

const ROWS = [
  row('okta-acme', { dueAt: NOW - DAY_MS, state: 'overdue', readiness: 'ready', algorithm: 'PS256' }),
  row('oidc-globex', { dueAt: NOW + 10 * DAY_MS, state: 'due_soon', certState: 'expiring', tenantSlug: 'dev' }),
  row('okta-initech'),
  row('oidc-empty', {
    currentSince: null,
    dueAt: null,
    state: 'no_key',
    algorithm: null,
    certNotAfter: null,
    certState: 'unknown',
  }),
];

describe('the fleet on the wire', () => {
  it('packs and unpacks every field, nulls and flags included', () => {
    expect(unpackFleet(packFleet(ROWS))).toEqual(ROWS);
  });

  it('refuses what is not its shape', () => {
    expect(() => unpackFleet('{}')).toThrow('unexpected shape');
    expect(() => unpackFleet('[[1,2]]')).toThrow('unexpected shape');
  });
});

describe('sorting', () => {
  const names = (rows: FleetRow[]) => rows.map((r) => r.name);
  it('by due date, soonest first, a connection without a key last either way', () => {
    expect(names([...ROWS].sort(compareFleet('due', 'asc')))).toEqual([
      'okta-acme',
      'oidc-globex',
      'okta-initech',
      'oidc-empty',
    ]);
    expect(names([...ROWS].sort(compareFleet('due', 'desc')))).toEqual([
      'okta-initech',
      'oidc-globex',
      'okta-acme',
      'oidc-empty',
    ]);
  });
  it('by state, overdue first; by algorithm; by name', () => {
    expect(names([...ROWS].sort(compareFleet('state', 'asc')))[0]).toBe('okta-acme');
    expect(names([...ROWS].sort(compareFleet('algorithm', 'asc')))).toEqual([
      'okta-acme',
      'oidc-globex',
      'okta-initech',
      'oidc-empty',
    ]);
    expect(names([...ROWS].sort(compareFleet('name', 'asc')))).toEqual([
      'oidc-empty',
      'oidc-globex',
      'okta-acme',
      'okta-initech',
    ]);
  });
  it('by key age, oldest first when ascending', () => {
    const rows = [row('young', { currentSince: NOW - DAY_MS }), row('old', { currentSince: NOW - 400 * DAY_MS })];
    expect(names(rows.sort(compareFleet('age', 'desc')))).toEqual(['old', 'young']);
  });
});

describe('filters and counts', () => {
  it('filters by state, readiness, algorithm, tenant, certificates and search together', () => {
    expect(filterFleet(ROWS, { ...NO_FILTERS, state: 'overdue' }).map((r) => r.name)).toEqual(['okta-acme']);
    expect(filterFleet(ROWS, { ...NO_FILTERS, readiness: 'ready' })).toHaveLength(1);
    expect(filterFleet(ROWS, { ...NO_FILTERS, algorithm: 'RS256' })).toHaveLength(2);
    expect(filterFleet(ROWS, { ...NO_FILTERS, tenant: 'dev' }).map((r) => r.name)).toEqual(['oidc-globex']);
    expect(filterFleet(ROWS, { ...NO_FILTERS, certAttention: true }).map((r) => r.name)).toEqual(['oidc-globex']);
    expect(filterFleet(ROWS, { ...NO_FILTERS, search: ' OKTA ' })).toHaveLength(2);
    expect(filterFleet(ROWS, { ...NO_FILTERS, search: 'okta', state: 'ok' }).map((r) => r.name)).toEqual([
      'okta-initech',
    ]);
  });

  it('counts each state, certificates needing attention and unready IdPs', () => {
    expect(countFleet(ROWS)).toEqual({
      overdue: 1,
      due_soon: 1,
      ok: 1,
      no_key: 1,
      certExpiring: 1,
      certExpired: 0,
      notReady: 0,
    });
  });
});

describe('CSV', () => {
  it('has a header, one line per row, ISO dates, and CRLF', () => {
    const csv = fleetCsv(ROWS.slice(0, 1), NOW);
    const [header, line, end] = csv.split('\r\n');
    expect(header).toBe(
      'tenant,connection_id,connection,strategy,state,due_at,period_days,period_source,current_kid,algorithm,current_since,key_age_days,certificate_not_after,certificate_state,readiness,checked_at,error',
    );
    expect(line).toBe(
      'prod,con_okta-acme,okta-acme,okta,overdue,2026-12-02T12:00:00.000Z,365,default,kid-okta-acme,PS256,2026-08-25T12:00:00.000Z,100,2027-08-25T12:00:00.000Z,ok,ready,2026-12-03T11:59:00.000Z,',
    );
    expect(end).toBe('');
  });

  it('defuses cells a spreadsheet would run, and quotes commas and quotes', () => {
    const csv = fleetCsv([row('=HYPERLINK("x")', { error: '@SUM(1), "quoted"' })], NOW);
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv).toContain(`"'@SUM(1), ""quoted"""`);
    expect(csv).not.toMatch(/,=|,@/);
  });
});
