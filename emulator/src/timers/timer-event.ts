/** The event CloudBase sends a function on a timer tick. */
export interface TimerEvent {
  Type: 'Timer';
  TriggerName: string;
  /** The scheduled tick time, UTC, e.g. `2026-01-01T00:00:00Z`. */
  Time: string;
  Message: string;
}

/** Builds the timer event for the tick scheduled at `tickAt`. */
export function timerEvent(triggerName: string, tickAt: number): TimerEvent {
  return {
    Type: 'Timer',
    TriggerName: triggerName,
    Time: new Date(tickAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    Message: '',
  };
}
