import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AuditStore, openAuditStore } from '@/lib/audit';
import type { Alert } from '@/lib/notify/alerts';
import { closedWindow, nextWindow, scheduleProblems, windowAt } from './schedule';
import { type SchedulerDependencies, scheduleTick } from './scheduler';

// Saturdays 02:00 in Berlin (01:00 UTC in December), two hours: the window is 01:00–03:00 UTC on 2026-12-05.
const SPEC = { cron: '0 2 * * 6', timeZone: 'Europe/Berlin', windowMinutes: 120 };
const DOMAIN = 'prod-tenant.example';
const at = (iso: string) => new Date(iso);

describe('maintenance windows', () => {
  test.each([
    ['2026-12-05T00:59:59Z', null],
    ['2026-12-05T01:00:00Z', '2026-12-05T01:00:00.000Z'],
    ['2026-12-05T02:59:59Z', '2026-12-05T01:00:00.000Z'],
    ['2026-12-05T03:00:00Z', null],
  ])('at %s the window open is %s', (now, start) => {
    expect(windowAt(SPEC, at(now))?.start.toISOString() ?? null).toBe(start);
  });

  test('the next window, and the one that closed within a day', () => {
    expect(nextWindow(SPEC, at('2026-12-04T12:00:00Z'))).toEqual({
      start: at('2026-12-05T01:00:00Z'),
      end: at('2026-12-05T03:00:00Z'),
    });
    expect(closedWindow(SPEC, at('2026-12-05T03:05:00Z'), 86_400_000)?.start).toEqual(at('2026-12-05T01:00:00Z'));
    expect(closedWindow(SPEC, at('2026-12-05T02:00:00Z'), 86_400_000)).toBeNull();
    expect(closedWindow(SPEC, at('2026-12-07T03:05:00Z'), 86_400_000)).toBeNull();
  });

  test('summer time moves the window in UTC, not in the tenant’s zone', () => {
    expect(windowAt(SPEC, at('2027-06-05T00:30:00Z'))?.start).toEqual(at('2027-06-05T00:00:00Z'));
  });

  test('a bad schedule is refused with a sentence per field', () => {
    expect(scheduleProblems({ cron: '0 2 * *', timeZone: 'Mars/Olympus', windowMinutes: 5 })).toEqual({
      cron: 'The cron expression must have five fields: minute, hour, day of month, month, day of week.',
      timeZone: '“Mars/Olympus” is not a time zone (use an IANA name such as Europe/Berlin or UTC).',
      windowMinutes: 'The window must last from 15 to 1440 minutes.',
    });
    expect(scheduleProblems({ ...SPEC, cron: '99 2 * * 6' }).cron).toMatch(/^The cron expression is not valid/);
    expect(scheduleProblems(SPEC)).toEqual({});
  });
});

describe('a scheduler tick, the clock injected', () => {
  let store: AuditStore;
  const started: string[] = [];
  const cancelled: string[] = [];
  const notices: Alert[] = [];
  const states = new Map<string, string>();

  beforeAll(async () => {
    store = await openAuditStore({ memory: true });
    await store.saveSchedule(
      { type: 'schedule.changed', tenant: DOMAIN, details: { ...SPEC, enabled: true } },
      { tenant: DOMAIN, enabled: true, ...SPEC, updatedBySub: 'auth0|alice' },
    );
  });
  afterAll(() => store.close());

  const deps = (now: string): SchedulerDependencies => ({
    schedules: () => store.schedules(),
    tenantOf: (domain) =>
      domain === DOMAIN ? { slug: 'prod', name: 'Production', environment: 'production', domain } : undefined,
    claimRun: (domain, start) => store.claimScheduleRun(domain, start),
    recordRun: (domain, start, id) => store.recordScheduleRun(domain, start, id),
    run: (domain, start) => store.scheduleRun(domain, start),
    startDue: async () => {
      const id = `campaign-${started.length + 1}`;
      started.push(id);
      states.set(id, 'running');
      return { campaignId: id, rotating: 3, notReady: [{ id: 'con_x', name: 'okta-x', reason: 'not confirmed' }] };
    },
    preview: async () => ({ due: 4, ready: 3 }),
    campaign: async (id) => ({ state: states.get(id) ?? 'gone', counts: { succeeded: 2, cancelled: 1 } }),
    cancel: async (_slug, id) => {
      cancelled.push(id);
      states.set(id, 'cancelled');
    },
    notify: async (alerts) => {
      notices.push(...alerts);
    },
    url: (slug, id) => `https://keyshift.example/${slug}/campaigns${id ? `/${id}` : ''}`,
    now: () => at(now),
  });

  test('outside the window nothing starts; a day before it, the notice says what it will do', async () => {
    expect(await scheduleTick(deps('2026-12-04T12:00:00Z'))).toEqual({ fired: [], cancelled: [], notices: 1 });
    expect(started).toEqual([]);
    expect(notices[0]).toMatchObject({
      kind: 'schedule.upcoming',
      key: `schedule.upcoming:${DOMAIN}:2026-12-05T01:00:00.000Z`,
    });
    expect(notices[0]?.message).toContain('3 of 4 due now');
    // Three days before: no notice yet.
    notices.length = 0;
    expect((await scheduleTick(deps('2026-12-02T00:00:00Z'))).notices).toBe(0);
  });

  test('inside the window it fires once, however many instances tick; the not-ready are alerted, not rotated', async () => {
    const ticks = await Promise.all([
      scheduleTick(deps('2026-12-05T01:30:00Z')),
      scheduleTick(deps('2026-12-05T01:30:00Z')),
    ]);
    expect(ticks.flatMap((tick) => tick.fired)).toEqual(['prod']);
    expect((await scheduleTick(deps('2026-12-05T02:45:00Z'))).fired).toEqual([]);
    expect(started).toEqual(['campaign-1']);
    expect(await store.scheduleRun(DOMAIN, at('2026-12-05T01:00:00Z'))).toEqual({ campaignId: 'campaign-1' });
    const notReady = notices.filter((alert) => alert.kind === 'schedule.not_ready');
    expect(notReady.map((alert) => alert.connection?.name)).toEqual(['okta-x']);
  });

  test('once the window closed, its campaign is cancelled and the notice after says how it went', async () => {
    notices.length = 0;
    const report = await scheduleTick(deps('2026-12-05T03:05:00Z'));
    expect(report.cancelled).toEqual(['prod']);
    expect(cancelled).toEqual(['campaign-1']);
    const closed = notices.find((alert) => alert.kind === 'schedule.closed');
    expect(closed?.message).toMatch(/closed: 2 rotated, 0 failed, 0 skipped, 1 left for the next window\./);
    expect(closed?.url).toBe('https://keyshift.example/prod/campaigns/campaign-1');
    // Nothing starts after the window, and the next tick does not cancel again.
    expect(await scheduleTick(deps('2026-12-05T03:06:00Z'))).toMatchObject({ fired: [], cancelled: [] });
  });

  test('a schedule turned off does nothing', async () => {
    await store.saveSchedule(
      { type: 'schedule.changed', tenant: DOMAIN, details: { ...SPEC, enabled: false } },
      { tenant: DOMAIN, enabled: false, ...SPEC, updatedBySub: 'auth0|alice' },
    );
    expect(await scheduleTick(deps('2026-12-12T01:30:00Z'))).toEqual({ fired: [], cancelled: [], notices: 0 });
  });
});
