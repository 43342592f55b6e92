import { createHash } from 'node:crypto';

/**
 * The cloudPay order number of a borrower's pay request: derived from (loan, requestId), so a
 * repeated request can only ever name the same order (≤ 32 characters, letters and digits).
 */
export function orderNumberFor(loanId: string, requestId: string): string {
  return `RP${createHash('sha256').update(`${loanId}\u0000${requestId}`).digest('hex').slice(0, 30)}`;
}

/** The refund number of an order's excess (one refund per order). */
export function refundNumberFor(outTradeNo: string): string {
  return `RF${outTradeNo.slice(2)}`;
}
