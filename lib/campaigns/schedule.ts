import { CronExpressionParser } from 'cron-parser';

/**
 * Maintenance windows: a cron expression (five fields, minute first) in an IANA time zone opens a window, which lasts
 * `windowMinutes`. Pure and clock-free: the caller passes the time, so tests move it where they need it.
 */
export interface ScheduleSpec {
  cron: string;
  timeZone: string;
  windowMinutes: number;
}

export interface Window {
  start: Date;
  end: Date;
}

export const MIN_WINDOW_MINUTES = 15;
export const MAX_WINDOW_MINUTES = 1440;

/** What is wrong with a schedule, as a sentence per field; empty when it is fine. */
export function scheduleProblems(spec: ScheduleSpec): Record<string, string> {
  const problems: Record<string, string> = {};
  let zoneOk = true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: spec.timeZone });
  } catch {
    zoneOk = false;
    problems.timeZone = `“${spec.timeZone}” is not a time zone (use an IANA name such as Europe/Berlin or UTC).`;
  }
  if (spec.cron.trim().split(/\s+/).length !== 5) {
    problems.cron = 'The cron expression must have five fields: minute, hour, day of month, month, day of week.';
  } else {
    try {
      CronExpressionParser.parse(spec.cron, zoneOk ? { tz: spec.timeZone } : {}).next();
    } catch (error) {
      problems.cron = `The cron expression is not valid: ${error instanceof Error ? error.message : String(error)}.`;
    }
  }
  if (
    !Number.isInteger(spec.windowMinutes) ||
    spec.windowMinutes < MIN_WINDOW_MINUTES ||
    spec.windowMinutes > MAX_WINDOW_MINUTES
  ) {
    problems.windowMinutes = `The window must last from ${MIN_WINDOW_MINUTES} to ${MAX_WINDOW_MINUTES} minutes.`;
  }
  return problems;
}

const windowFrom = (start: Date, spec: ScheduleSpec): Window => ({
  start,
  end: new Date(start.getTime() + spec.windowMinutes * 60_000),
});

/** The window `now` is in, or null. */
export function windowAt(spec: ScheduleSpec, now: Date): Window | null {
  // The last opening at or before now (cron-parser's prev() is strictly before its current date).
  const opened = CronExpressionParser.parse(spec.cron, {
    currentDate: new Date(now.getTime() + 1),
    tz: spec.timeZone,
  })
    .prev()
    .toDate();
  const window = windowFrom(opened, spec);
  return now < window.end ? window : null;
}

/** The next window to open after `now`. */
export function nextWindow(spec: ScheduleSpec, now: Date): Window {
  return windowFrom(
    CronExpressionParser.parse(spec.cron, { currentDate: now, tz: spec.timeZone }).next().toDate(),
    spec,
  );
}

/** The latest window that closed at or before `now`, if it closed within `withinMs`. */
export function closedWindow(spec: ScheduleSpec, now: Date, withinMs: number): Window | null {
  const iterator = CronExpressionParser.parse(spec.cron, {
    currentDate: new Date(now.getTime() + 1),
    tz: spec.timeZone,
  });
  // Walk back past the window still open (if any) to the latest one that has ended.
  for (let step = 0; step < 50; step++) {
    const window = windowFrom(iterator.prev().toDate(), spec);
    if (window.end > now) continue;
    return now.getTime() - window.end.getTime() <= withinMs ? window : null;
  }
  return null;
}
