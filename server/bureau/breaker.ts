import type { Clock } from '../clock';

/** When the breaker opens and how long it stays open. */
export interface BreakerSettings {
  /** Consecutive failures (errors, timeouts, malformed answers) that open the breaker. */
  failures: number;
  /** How long it stays open before one probe is let through (ms, on the injected clock). */
  openMs: number;
}

/** The breaker's state as `/health`-style reports show it. */
export type BreakerState = 'closed' | 'open' | 'half_open';

/**
 * A circuit breaker of one function instance: closed while calls succeed; after `failures`
 * consecutive failures open (calls are not made) for `openMs`; then half-open, letting exactly one
 * probe through — its success closes the breaker, its failure opens it again for `openMs`.
 * Per instance on purpose: no document every request writes.
 */
export class CircuitBreaker {
  private consecutive = 0;
  private openUntil: number | undefined;
  private probing = false;

  constructor(
    private readonly settings: BreakerSettings,
    private readonly clock: Clock,
  ) {}

  /** Whether a call may be made now (in half-open state, only the one probe). */
  allow(): boolean {
    if (this.openUntil === undefined) return true;
    if (this.clock.now() < this.openUntil || this.probing) return false;
    this.probing = true;
    return true;
  }

  /** The call succeeded: closes the breaker. */
  succeeded(): void {
    this.consecutive = 0;
    this.openUntil = undefined;
    this.probing = false;
  }

  /** The call failed: counts it, and opens (again) at the threshold or after a failed probe. */
  failed(): void {
    this.consecutive += 1;
    if (this.probing || this.consecutive >= this.settings.failures) {
      this.openUntil = this.clock.now() + this.settings.openMs;
    }
    this.probing = false;
  }

  /** The current state. */
  state(): BreakerState {
    if (this.openUntil === undefined) return 'closed';
    return this.clock.now() < this.openUntil ? 'open' : 'half_open';
  }
}
