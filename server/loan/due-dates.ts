import { chinaDateOf, daysInMonth, formatDate, type CalendarDate } from '../../shared/china-date';

/** `months` calendar months after `from`, on the same day or the month's last day when it is shorter. */
function monthsAfter(from: CalendarDate, months: number): CalendarDate {
  const index = from.year * 12 + (from.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { year, month, day: Math.min(from.day, daysInMonth(year, month)) };
}

/** Due date (`YYYY-MM-DD`, China time) of each of `termMonths` monthly instalments of a loan signed at `now`. */
export function dueDates(now: number, termMonths: number): string[] {
  const signed = chinaDateOf(now);
  return Array.from({ length: termMonths }, (_, i) => formatDate(monthsAfter(signed, i + 1)));
}
