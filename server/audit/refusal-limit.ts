/** How many refusals a caller gets before being rate-limited, and how fast the allowance refills. */
export interface RefusalLimitPolicy {
  burst: number;
  perSecond: number;
}

/** Default: 10 refusals at once, then one per second. */
export const DEFAULT_REFUSAL_LIMIT: RefusalLimitPolicy = { burst: 10, perSecond: 1 };

/** A caller's bucket: tokens left at `at`, and whether its current limited spell was recorded. */
interface Bucket {
  tokens: number;
  at: number;
  limitedRecorded: boolean;
}

/** Buckets kept per instance before the oldest are dropped (a dropped caller simply starts full). */
const MAX_CALLERS = 10_000;

/**
 * A per-caller token bucket for refused calls, in the function instance's memory: a caller who
 * keeps being refused is answered RATE_LIMITED without touching the database, so a flood of
 * refusals costs nobody else a read, a write or a lock. Each instance limits on its own.
 */
export class RefusalLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly policy: RefusalLimitPolicy = DEFAULT_REFUSAL_LIMIT) {}

  private bucket(caller: string, now: number): Bucket {
    const found = this.buckets.get(caller);
    if (found) {
      found.tokens = Math.min(
        this.policy.burst,
        found.tokens + ((now - found.at) / 1000) * this.policy.perSecond,
      );
      found.at = now;
      if (found.tokens >= 1) found.limitedRecorded = false;
      return found;
    }
    if (this.buckets.size >= MAX_CALLERS) this.buckets.delete(this.buckets.keys().next().value as string);
    const fresh = { tokens: this.policy.burst, at: now, limitedRecorded: false };
    this.buckets.set(caller, fresh);
    return fresh;
  }

  /** True while `caller` has no refusal allowance left. */
  isLimited(caller: string, now: number): boolean {
    return this.bucket(caller, now).tokens < 1;
  }

  /** Spends one refusal of `caller`'s allowance. */
  spend(caller: string, now: number): void {
    const b = this.bucket(caller, now);
    b.tokens = Math.max(0, b.tokens - 1);
  }

  /** True once per limited spell: the first rate-limited call is audited, the rest are not. */
  shouldRecordLimited(caller: string, now: number): boolean {
    const b = this.bucket(caller, now);
    if (b.limitedRecorded) return false;
    b.limitedRecorded = true;
    return true;
  }
}
