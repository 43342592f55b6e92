import { CronExpressionParser } from 'cron-parser';

/** CloudBase timer crons run in China Standard Time. */
export const TIMER_TIME_ZONE = 'Asia/Shanghai';
const FIRST_YEAR = 1970;
const LAST_YEAR = 2199;

/** A parsed 7-field CloudBase cron: `second minute hour day month week year`. */
export interface TimerCron {
  source: string;
  /** The first six fields, which cron-parser understands. */
  sixFields: string;
  /** Allowed years, ascending; undefined means every year. */
  years: number[] | undefined;
}

/** Parses the year field: `*`, or comma-separated years and `a-b` ranges. */
function parseYears(field: string): number[] | undefined {
  if (field === '*') return undefined;
  const years = new Set<number>();
  for (const part of field.split(',')) {
    const match = /^(\d{4})(?:-(\d{4}))?$/.exec(part);
    if (!match) throw new Error(`year field "${field}" must be *, years or ranges like 2025-2027`);
    const from = Number(match[1]);
    const to = Number(match[2] ?? match[1]);
    if (from < FIRST_YEAR || to > LAST_YEAR || from > to)
      throw new Error(`year range ${part} is out of bounds`);
    for (let y = from; y <= to; y++) years.add(y);
  }
  return [...years].sort((a, b) => a - b);
}

/** Parses and validates a 7-field cron; throws an Error naming the problem. */
export function parseTimerCron(source: string): TimerCron {
  const fields = source.trim().split(/\s+/);
  if (fields.length !== 7)
    throw new Error(`cron "${source}" needs 7 fields: sec min hour day month week year`);
  const sixFields = fields.slice(0, 6).join(' ');
  CronExpressionParser.parse(sixFields, { tz: TIMER_TIME_ZONE });
  return { source, sixFields, years: parseYears(fields[6] ?? '*') };
}

/** Calendar year of an instant in UTC+8. */
function chinaYear(epochMs: number): number {
  return new Date(epochMs + 8 * 3600_000).getUTCFullYear();
}

/** First instant of `year` in UTC+8. */
function startOfChinaYear(year: number): number {
  return Date.UTC(year, 0, 1) - 8 * 3600_000;
}

/** The first fire time strictly after `afterMs`, or undefined when the cron never fires again. */
export function nextFireTime(cron: TimerCron, afterMs: number): number | undefined {
  let cursor = afterMs;
  for (let guard = 0; guard < 1000; guard++) {
    const next = CronExpressionParser.parse(cron.sixFields, {
      currentDate: new Date(cursor),
      tz: TIMER_TIME_ZONE,
    })
      .next()
      .getTime();
    if (!cron.years) return next;
    const year = chinaYear(next);
    if (cron.years.includes(year)) return next;
    const laterYear = cron.years.find((y) => y > year);
    if (laterYear === undefined) return undefined;
    cursor = startOfChinaYear(laterYear) - 1;
  }
  return undefined;
}

/**
 * The latest `count` fire times at or before `untilMs`, oldest first (fewer when the cron fired
 * less often). Used to cap how many overdue ticks one clock jump replays.
 */
export function recentFireTimes(cron: TimerCron, untilMs: number, count: number): number[] {
  const expression = CronExpressionParser.parse(cron.sixFields, {
    currentDate: new Date(untilMs + 1),
    tz: TIMER_TIME_ZONE,
  });
  const times: number[] = [];
  for (let guard = 0; times.length < count && guard < count + 1000; guard++) {
    const previous = expression.prev().getTime();
    if (previous < 0) break;
    if (!cron.years || cron.years.includes(chinaYear(previous))) times.push(previous);
    else if (cron.years.every((y) => y > chinaYear(previous))) break;
  }
  return times.reverse();
}
