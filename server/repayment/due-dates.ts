import {
  chinaDateOf,
  compareDates,
  daysInMonth,
  formatDate,
  parseDate,
  type CalendarDate,
} from '../../shared/china-date';

/**
 * The month-end rule of the contract schedule, stated to the borrower: instalment n falls on the
 * disbursement day-of-month n months later (China time); when that month is shorter, on its last day.
 */
export const DUE_DAY_RULE =
  '每期还款日为放款日（北京时间）之后第 n 个月的同一日；该月没有这一日的（如 31 日、2 月 29/30 日），为该月最后一日。';

/** The due date of instalment `period` (1-based) for a loan disbursed on `disbursedOn`. */
export function dueDateOf(disbursedOn: CalendarDate, period: number): CalendarDate {
  const monthIndex = disbursedOn.month - 1 + period;
  const year = disbursedOn.year + Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  return { year, month, day: Math.min(disbursedOn.day, daysInMonth(year, month)) };
}

/** `YYYY-MM-DD` of the China calendar day at `epochMs`. */
export function chinaDay(epochMs: number): string {
  return formatDate(chinaDateOf(epochMs));
}

/** Parses a stored `YYYY-MM-DD` (always written by us). */
export function dateOf(text: string): CalendarDate {
  const date = parseDate(text);
  if (!date) throw new RangeError(`not a date: ${text}`);
  return date;
}

/** Whole days from `a` to `b` (positive when `b` is later). */
export function daysBetween(a: string, b: string): number {
  const ms = (d: CalendarDate): number => Date.UTC(d.year, d.month - 1, d.day);
  return Math.round((ms(dateOf(b)) - ms(dateOf(a))) / 86_400_000);
}

/** The day `days` after `day` (before it when negative). */
export function addDays(day: string, days: number): string {
  const d = dateOf(day);
  const next = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return formatDate({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() });
}

/** The day after `day`. */
export function nextDay(day: string): string {
  return addDays(day, 1);
}

/** `2026年2月10日`: a day as subscribe-message date fields and SMS parameters write it. */
export function chineseDay(day: string): string {
  const d = dateOf(day);
  return `${d.year}年${d.month}月${d.day}日`;
}

/** True when `a` is strictly before `b`. */
export function isBefore(a: string, b: string): boolean {
  return compareDates(dateOf(a), dateOf(b)) < 0;
}
