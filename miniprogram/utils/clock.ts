/** The phone's current time, for display and as-you-type checks only (the server decides with its own clock). */
export function deviceNow(): number {
  return Date.now();
}
