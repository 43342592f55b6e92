/** The UTC+8 calendar day `YYYYMMDD` of an instant: daily counters reset at Beijing midnight. */
export function beijingDay(epochMs: number): string {
  return new Date(epochMs + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
}

/** The UTC+8 calendar month `YYYYMM` of an instant. */
export function beijingMonth(epochMs: number): string {
  return beijingDay(epochMs).slice(0, 6);
}
