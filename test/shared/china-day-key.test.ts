import { chinaDayKey, chinaMonthKey } from '../../shared/china-date';

describe('the one China-day key', () => {
  test('changes at Beijing midnight (16:00 UTC), not at UTC midnight', () => {
    expect(chinaDayKey(Date.UTC(2026, 11, 31, 15, 59, 59, 999))).toBe('20261231');
    expect(chinaDayKey(Date.UTC(2026, 11, 31, 16, 0, 0, 0))).toBe('20270101');
    expect(chinaMonthKey(Date.UTC(2026, 11, 31, 16, 0, 0, 0))).toBe('202701');
    expect(chinaDayKey(Date.UTC(2028, 1, 28, 16))).toBe('20280229');
  });
});
