/** The one source of time on the server side; tests inject their own. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

/**
 * Real time, shifted by `WXLEND_CLOCK_OFFSET_MS` when the local backend has moved its clock
 * (it sets that variable on every invocation). In production the variable is absent.
 */
export const systemClock: Clock = {
  now: () => Date.now() + Number(process.env.WXLEND_CLOCK_OFFSET_MS ?? 0),
};
