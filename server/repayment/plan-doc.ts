import type { Fen } from '../../typings/money';
import type { InstalmentStatus, RepaymentKind, RepaymentStatus } from '../../typings/repayment';
import type { RepaymentMethod } from '../../typings/loan';
import type { StoredDoc } from '../storage/doc-store';

/** Collections of the repayment domain (declared in cloudbase/collections.json). */
export const REPAYMENT_COLLECTIONS = {
  /** `_id` = loanId: the contract schedule fixed at disbursement and what was paid against it. */
  plans: 'repaymentPlans',
  /** `_id` = out_trade_no: one cloudPay order, its quote and, once paid, its allocation. */
  orders: 'repaymentOrders',
  /** `_id` = orderNumberFor(loan, requestId): which order a borrower's pay request was answered with. */
  requests: 'repaymentRequests',
} as const;

/** A borrower's pay request and the order it was answered with (its own, or the open one it joined). */
export interface PayRequestDoc extends StoredDoc {
  outTradeNo: string;
  loanId: string;
}

/** One instalment as stored: contract figures never change; paid/penalty/relief fields do. */
export interface PlanInstalment {
  period: number;
  dueDate: string;
  principal: Fen;
  interest: Fen;
  penalty: Fen;
  /** Penalty waived by an operator. */
  waivedPenalty: Fen;
  /** Interest not charged because the loan was settled early (interest by actual days). */
  earlyDiscount: Fen;
  paidPrincipal: Fen;
  paidInterest: Fen;
  paidPenalty: Fen;
  status: InstalmentStatus;
}

/** Terms copied from configuration at disbursement: later configuration changes never reach this loan. */
export interface PlanTerms {
  aprBps: number;
  penaltyAprBps: number;
  graceDays: number;
  feeAprBps: number;
  /** Allocation order of every payment. */
  allocation: ['penalty', 'interest', 'principal'];
  /** Day-count basis of payoff and penalty interest. */
  dayBasis: 365;
}

/** The order currently awaiting payment (at most one per loan: one order, one charge). */
export interface OpenOrder {
  outTradeNo: string;
  kind: RepaymentKind;
  amount: Fen;
  createdAt: number;
}

/** An operator action waiting for a second, different operator (maker-checker), kept on its plan. */
export interface PendingApproval {
  id: string;
  action: 'waive' | 'offline' | 'writeOff';
  params: Record<string, unknown>;
  /** Fen the gate measured against the threshold (absent on requests stored before it was kept). */
  amount?: number;
  maker: string;
  at: number;
}

/** The repayment plan of one disbursed loan. */
export interface RepaymentPlanDoc extends StoredDoc {
  /** = loanId. */
  _id: string;
  openid: string;
  principal: Fen;
  termMonths: number;
  method: RepaymentMethod;
  disbursedAt: number;
  disbursedOn: string;
  dueDayRule: string;
  terms: PlanTerms;
  instalments: PlanInstalment[];
  status: RepaymentStatus;
  version: number;
  /** Last China day whose overdue marking and penalty accrual are applied. */
  accruedThrough: string;
  openOrder: OpenOrder | null;
  /** The signed agreement's evidence (from the application). */
  contract: { version: string; textSha256: string; signedAt: number; lenderName: string };
  /** `YYYYMMDD` of the earliest unpaid due date (99999999 when none): the daily tick's index. */
  nextDueKey: number;
  /** An operator action waiting for a second operator (maker-checker), if any. */
  pendingApproval?: PendingApproval | null;
  /** Total cash applied (excluding refunded overpayments). */
  totalPaid: Fen;
  updatedAt: number;
}

/** How one applied payment was split, in fen. */
export interface Allocation {
  principal: Fen;
  interest: Fen;
  penalty: Fen;
  /** What exceeded the debt (refunded). */
  excess: Fen;
}

/** A refund of an order's excess (overpayment or a payment on a settled loan). */
export interface OrderRefund {
  outRefundNo: string;
  amount: Fen;
  state: 'pending' | 'accepted';
}

/** One cloudPay order as stored (written before unifiedOrder is called: intent first). */
export interface RepaymentOrderDoc extends StoredDoc {
  /** = out_trade_no. */
  _id: string;
  loanId: string;
  openid: string;
  requestId: string;
  kind: RepaymentKind;
  amount: Fen;
  /** The quote the borrower saw. */
  breakdown: { principal: Fen; interest: Fen; penalty: Fen };
  quotedOn: string;
  /** Instalments the order pays (excess beyond them is refunded, never kept). */
  periods: number[];
  planVersion: number;
  state: 'created' | 'applied' | 'closed';
  createdAt: number;
  /** Set when applied. */
  appliedAt?: number;
  transactionId?: string;
  allocation?: Allocation;
  refund?: OrderRefund;
  /** True while a refund waits to be accepted by cloudPay (top-level, so the timer can find it). */
  refundPending?: boolean;
  /** Offline repayment evidence (operators); `checker` when a second operator approved it. */
  offline?: { operator: string; evidence: string; checker?: string };
}

/** What is still owed on one instalment. */
export function remainingOf(i: PlanInstalment): number {
  return (
    i.principal +
    i.interest +
    i.penalty -
    i.waivedPenalty -
    i.earlyDiscount -
    i.paidPrincipal -
    i.paidInterest -
    i.paidPenalty
  );
}

/** Unpaid parts of one instalment. */
export function unpaidParts(i: PlanInstalment): { principal: number; interest: number; penalty: number } {
  return {
    principal: i.principal - i.paidPrincipal,
    interest: i.interest - i.earlyDiscount - i.paidInterest,
    penalty: i.penalty - i.waivedPenalty - i.paidPenalty,
  };
}

/** The `YYYYMMDD` number of a `YYYY-MM-DD` day (the form `nextDueKey` is indexed in). */
export function dayKey(day: string): number {
  return Number(day.replace(/-/g, ''));
}

/** `YYYYMMDD` of the earliest unpaid instalment's due date, 99999999 when everything is paid. */
export function nextDueKeyOf(instalments: readonly PlanInstalment[]): number {
  const next = instalments.find((i) => i.status !== 'paid');
  return next ? dayKey(next.dueDate) : 99_999_999;
}
