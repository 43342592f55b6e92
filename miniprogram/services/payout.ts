import type { PayoutProgress } from '../../typings/payout';
import { callAction } from './transport';

/** Where the payout of a loan stands; the confirmation parameters only while the borrower must confirm. */
export function getPayoutProgress(loanId: string): Promise<PayoutProgress> {
  return callAction<PayoutProgress>('payout', 'progress', { loanId });
}

/** Asks for a new payout attempt after a confirmed failure. */
export function retryPayout(loanId: string): Promise<PayoutProgress> {
  return callAction<PayoutProgress>('payout', 'retry', { loanId });
}
