/** Delays of a BackoffPoller. */
export interface BackoffOptions {
  /** First delay after a refresh, ms. */
  initialMs: number;
  /** Longest delay, ms. */
  maxMs: number;
  /** Each delay is the previous one times this. */
  factor: number;
}

/** Defaults for a page waiting on the server: 2 s, 3 s, 4.5 s … up to 30 s. */
export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 2_000, maxMs: 30_000, factor: 1.5 };

/**
 * Calls `refresh` again and again with growing delays while it answers true ("still moving");
 * stops when it answers false. A failed refresh backs off like a successful one (the network may
 * come back); `stop()` (onHide/onUnload) ends it at once.
 */
export class BackoffPoller {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private delayMs: number;
  private running = false;

  constructor(
    private readonly refresh: () => Promise<boolean>,
    private readonly options: BackoffOptions = DEFAULT_BACKOFF,
  ) {
    this.delayMs = options.initialMs;
  }

  /** True while a next refresh is scheduled. */
  get active(): boolean {
    return this.running;
  }

  /** Schedules refreshes from the initial delay (restarting if already running). */
  start(): void {
    this.stop();
    this.running = true;
    this.delayMs = this.options.initialMs;
    this.schedule();
  }

  /** Cancels the next refresh. */
  stop(): void {
    this.running = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.runOnce(), this.delayMs);
  }

  private async runOnce(): Promise<void> {
    this.timer = undefined;
    if (!this.running) return;
    let keepGoing = true;
    try {
      keepGoing = await this.refresh();
    } catch {
      keepGoing = true;
    }
    if (!this.running) return;
    if (!keepGoing) {
      this.running = false;
      return;
    }
    this.delayMs = Math.min(this.options.maxMs, Math.round(this.delayMs * this.options.factor));
    this.schedule();
  }
}
