import fc from 'fast-check';
import { daysInMonth } from '../../shared/china-date';
import { idCheckChar } from '../../shared/idcard';

/** Province prefixes of resident IDs (platform-facts). */
export const PROVINCES = [
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62, 63, 64, 65, 71,
];

/** Appends the check character to 17 body digits. */
export function withCheck(body: string): string {
  return body + idCheckChar(body);
}

/** A valid resident ID number born between `fromYear` and `toYear` (inclusive). */
export function validIdNumber(fromYear = 1930, toYear = 2020): fc.Arbitrary<string> {
  return fc
    .record({
      province: fc.constantFrom(...PROVINCES),
      area: fc.integer({ min: 0, max: 9999 }),
      year: fc.integer({ min: fromYear, max: toYear }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 31 }),
      sequence: fc.integer({ min: 0, max: 999 }),
    })
    .map(({ province, area, year, month, day, sequence }) => {
      const d = Math.min(day, daysInMonth(year, month));
      const pad = (n: number, w: number): string => String(n).padStart(w, '0');
      return withCheck(`${province}${pad(area, 4)}${year}${pad(month, 2)}${pad(d, 2)}${pad(sequence, 3)}`);
    });
}
