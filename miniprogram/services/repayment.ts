import type {
  PayAnswer,
  PaymentView,
  RepaymentKind,
  RepaymentQuote,
  ScheduleView,
} from '../../typings/repayment';
import { callAction } from './transport';

/** The dated schedule of a loan with paid amounts and what is next. */
export function getSchedule(loanId: string): Promise<ScheduleView> {
  return callAction<ScheduleView>('repayment', 'schedule', { loanId });
}

/** What paying `kind` costs today (shown before paying). */
export function getRepaymentQuote(loanId: string, kind: RepaymentKind): Promise<RepaymentQuote> {
  return callAction<RepaymentQuote>('repayment', 'quote', { loanId, kind });
}

/** One payment order for `kind`; the same requestId always answers the same order. */
export function payRepayment(loanId: string, kind: RepaymentKind, requestId: string): Promise<PayAnswer> {
  return callAction<PayAnswer>('repayment', 'pay', { loanId, kind, requestId });
}

/** Payments of the loan with receipts. */
export function getRepaymentHistory(loanId: string): Promise<{ payments: PaymentView[] }> {
  return callAction<{ payments: PaymentView[] }>('repayment', 'history', { loanId });
}
