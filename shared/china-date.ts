/**
 * Calendar dates as people in mainland China read them (UTC+8, no daylight saving), computed
 * without Date's local time zone so the mini-program and the server agree on every device.
 * Pure code: shared by the mini-program and the cloud functions.
 */

/** China Standard Time is a fixed UTC+8. */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** A calendar date (month 1–12). */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** True for Gregorian leap years. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True when the three numbers name a real Gregorian date. */
export function isRealDate(date: CalendarDate): boolean {
  const { year, month, day } = date;
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** The calendar date in China at epoch milliseconds `now`. */
export function chinaDateOf(now: number): CalendarDate {
  const shifted = new Date(now + CHINA_OFFSET_MS);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** Negative, zero or positive as `a` is before, on or after `b`. */
export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** `YYYY-MM-DD`. */
export function formatDate(date: CalendarDate): string {
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

/** Parses `YYYY-MM-DD` into a real date, or undefined. */
export function parseDate(text: string): CalendarDate | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  return isRealDate(date) ? date : undefined;
}

/**
 * Completed years between `birth` and `on`. A 29 February birthday is reached on 1 March in
 * common years (the date must be passed, and 29 Feb never is), the usual legal reading.
 */
export function completedYears(birth: CalendarDate, on: CalendarDate): number {
  const hadBirthday = on.month > birth.month || (on.month === birth.month && on.day >= birth.day);
  return on.year - birth.year - (hadBirthday ? 0 : 1);
}

/** The China calendar day `YYYYMMDD` of an instant: the one day key (daily counters reset at Beijing midnight). */
export function chinaDayKey(now: number): string {
  const { year, month, day } = chinaDateOf(now);
  return `${String(year).padStart(4, '0')}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
}

/** The instant (epoch ms) China's calendar day of `now` began: Beijing midnight. */
export function chinaDayStart(now: number): number {
  const { year, month, day } = chinaDateOf(now);
  return Date.UTC(year, month - 1, day) - CHINA_OFFSET_MS;
}

/** The China calendar month `YYYYMM` of an instant. */
export function chinaMonthKey(now: number): string {
  return chinaDayKey(now).slice(0, 6);
}
