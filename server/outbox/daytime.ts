/**
 * The one rule of when a borrower may be contacted about repayment (collection contact): only in
 * the daytime, 08:00 to 21:00 China time (UTC+8, no daylight saving). A reminder due at night is
 * deferred to the next 08:00, never dropped.
 */
export const DAYTIME_HOURS = { from: 8, until: 21 } as const;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** China time is UTC+8 all year. */
const CHINA_OFFSET_MS = 8 * HOUR_MS;

/** Milliseconds since the last China midnight at `at`. */
function sinceChinaMidnight(at: number): number {
  return (((at + CHINA_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS;
}

/** True when `at` is in the daytime: from 08:00 (inclusive) to 21:00 (exclusive) China time. */
export function isDaytime(at: number): boolean {
  const since = sinceChinaMidnight(at);
  return since >= DAYTIME_HOURS.from * HOUR_MS && since < DAYTIME_HOURS.until * HOUR_MS;
}

/** `at` itself when it is daytime; otherwise the next 08:00 China time. */
export function nextDaytime(at: number): number {
  if (isDaytime(at)) return at;
  const since = sinceChinaMidnight(at);
  const midnight = at - since;
  const morning = midnight + DAYTIME_HOURS.from * HOUR_MS;
  return since < DAYTIME_HOURS.from * HOUR_MS ? morning : morning + DAY_MS;
}
