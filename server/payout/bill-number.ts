import { createHash } from 'node:crypto';

/** Highest attempt number a bill number can carry (three digits). */
export const MAX_ATTEMPT = 999;

const BILL_NO = /^WL[0-9a-f]{26}A\d{3}$/;

/**
 * The merchant bill number (`out_bill_no`) of a loan's n-th payout attempt. Deterministic, so whoever
 * finds an unfinished intent (retry, reconciler, operator) resends exactly the same number; 32
 * letters/digits as WeChat allows; a hash keeps any loan id format within the limit.
 */
export function billNumberFor(loanId: string, attempt: number): string {
  if (!Number.isSafeInteger(attempt) || attempt < 1 || attempt > MAX_ATTEMPT) {
    throw new RangeError(`attempt must be 1..${MAX_ATTEMPT}`);
  }
  const digest = createHash('sha256').update(`wxlend-payout:${loanId}`).digest('hex').slice(0, 26);
  return `WL${digest}A${String(attempt).padStart(3, '0')}`;
}

/** True when `value` has the shape of one of our bill numbers. */
export function isBillNumber(value: unknown): value is string {
  return typeof value === 'string' && BILL_NO.test(value);
}
