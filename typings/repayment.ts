import type { Fen } from './money';

/** What a repayment pays: the current instalment, everything overdue, or the whole loan early. */
export type RepaymentKind = 'due' | 'overdue' | 'payoff';

/** Where one instalment stands. */
export type InstalmentStatus = 'scheduled' | 'overdue' | 'paid';

/** Where a loan's repayment stands (mirrors the loan status after disbursement). */
export type RepaymentStatus = 'repaying' | 'overdue' | 'settled' | 'written_off';

/** One dated instalment of the contract schedule with what has been paid against it, in fen. */
export interface InstalmentView {
  period: number;
  /** China calendar date `YYYY-MM-DD`. */
  dueDate: string;
  principal: Fen;
  interest: Fen;
  /** Penalty interest accrued after the grace period. */
  penalty: Fen;
  /** Penalty waived by an operator plus interest not charged because of early settlement. */
  relief: Fen;
  paid: Fen;
  /** What is still owed on this instalment. */
  remaining: Fen;
  status: InstalmentStatus;
}

/** The `schedule` answer. */
export interface ScheduleView {
  loanId: string;
  status: RepaymentStatus;
  principal: Fen;
  aprBps: number;
  disbursedOn: string;
  /** How due dates are chosen, in plain words. */
  dueDayRule: string;
  instalments: InstalmentView[];
  /** The first instalment not yet paid, if any. */
  next: { period: number; dueDate: string; amount: Fen } | null;
  /** Everything overdue now. */
  overdueAmount: Fen;
  daysPastDue: number;
  totalPaid: Fen;
  /** 我的合同: the signed agreement's evidence and the lender. */
  contract: { version: string; textSha256: string; signedAt: number; lenderName: string };
}

/** One line of a quote. */
export interface QuoteBreakdown {
  principal: Fen;
  interest: Fen;
  penalty: Fen;
}

/** The `quote` answer: what paying `kind` costs today. */
export interface RepaymentQuote {
  loanId: string;
  kind: RepaymentKind;
  amount: Fen;
  breakdown: QuoteBreakdown;
  /** The instalments (periods) this payment covers. */
  periods: number[];
  /** China date the quote is valid for. */
  validOn: string;
  /** For payoff: days of interest charged on the outstanding principal in the current period. */
  interestDays?: number;
}

/** What `wx.requestPayment` needs. */
export interface RequestPaymentParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: string;
  paySign: string;
}

/** The `pay` answer. */
export interface PayAnswer {
  outTradeNo: string;
  kind: RepaymentKind;
  amount: Fen;
  /** True when the same requestId had already created this order. */
  replayed: boolean;
  payment: RequestPaymentParams;
}

/** One payment in `history`. */
export interface PaymentView {
  outTradeNo: string;
  kind: RepaymentKind;
  amount: Fen;
  status: 'awaiting_payment' | 'applied' | 'closed';
  createdAt: number;
  /** Present once applied: the receipt. */
  receipt?: {
    transactionId: string;
    paidAt: number;
    principal: Fen;
    interest: Fen;
    penalty: Fen;
    refunded: Fen;
  };
}
