import type { Fen } from './money';

/** Every status a loan application can be in; server/loan/transitions.ts says which may follow which. */
export type LoanStatus =
  | 'submitted'
  | 'scoring'
  | 'manual_review'
  | 'awaiting_second_approval'
  | 'approved'
  | 'rejected'
  | 'cancelled'
  | 'appealed'
  | 'appeal_denied'
  | 'disbursing'
  | 'awaiting_confirmation'
  | 'disbursed'
  | 'disbursement_failed'
  | 'repaying'
  | 'overdue'
  | 'settled'
  | 'written_off';

/** 等额本息 (equal instalments) or 等额本金 (equal principal). */
export type RepaymentMethod = 'equal_instalment' | 'equal_principal';

/** One instalment of a repayment schedule, all in integer fen. */
export interface Instalment {
  /** 1-based period number (months). */
  period: number;
  principal: Fen;
  interest: Fen;
  total: Fen;
}

/** The answer of `quote`. */
export interface LoanQuote {
  amount: Fen;
  termMonths: number;
  method: RepaymentMethod;
  /** Annual rate in basis points (1 bp = 0.01 %). */
  aprBps: number;
  totalInterest: Fen;
  totalRepayment: Fen;
  schedule: Instalment[];
}

/** The loan agreement filled with one loan's figures, as served by `loan.quote` and signed by `apply`. */
export interface LoanAgreement {
  version: string;
  /** The full text, verbatim as shown. */
  text: string;
  /** SHA-256 (UTF-8, hex) of `text`; `apply` accepts consent only to this hash. */
  sha256: string;
}

/** A priced loan with what the borrower must see before signing (the answer of `quote` with an amount). */
export interface SignableQuote extends LoanQuote {
  /** Fees besides interest: always 0. */
  otherFees: Fen;
  /** The lender's registered name. */
  lenderName: string;
  /** Due date (`YYYY-MM-DD`, China time) of each instalment, in schedule order. */
  dueDates: string[];
  firstDueDate: string;
  agreement: LoanAgreement;
}

/** What the borrower may choose from, from configuration and the payout limits. */
export interface QuoteOffer {
  minAmount: Fen;
  maxAmount: Fen;
  amountStep: Fen;
  terms: number[];
  methods: RepaymentMethod[];
  aprBps: number;
}

/** One entry of an application's history as the borrower sees it. */
export interface TimelineEntry {
  at: number;
  status: LoanStatus;
  /** Plain-language note (Chinese), never rule internals. */
  note: string;
}

/** The borrower-facing view of the automated or manual decision (PIPL art. 24). */
export interface DecisionExplanation {
  outcome: 'approved' | 'manual_review' | 'rejected';
  /** Plain-language reasons. */
  reasons: string[];
  /** How to ask for a human review. */
  appeal: string;
}

/** The borrower's view of one application. */
export interface ApplicationView {
  id: string;
  status: LoanStatus;
  amount: Fen;
  termMonths: number;
  method: RepaymentMethod;
  purpose: string;
  aprBps: number;
  createdAt: number;
  updatedAt: number;
  timeline: TimelineEntry[];
  explanation?: DecisionExplanation;
  /** True when the borrower may still cancel. */
  cancellable: boolean;
  /** True when the borrower may appeal the decision. */
  appealable: boolean;
  /** While a person reviews (manual review, appeal): when they promised to have decided (configured hours). */
  expectedDecisionBy?: number;
  /** The borrower's own appeal text, once they appealed. */
  appealReason?: string;
}

/** A loan purpose code (the list and labels are in shared/loan-purposes.ts). */
export type LoanPurposeCode = 'consumption' | 'education' | 'medical' | 'travel' | 'home' | 'other';

/** What `loan.quote` answers: the offer, and the priced loan when an amount was given. */
export interface QuoteAnswer {
  offer: QuoteOffer;
  quote?: SignableQuote;
  /** The credit-inquiry authorisation in force (text in shared/credit-inquiry-authorisation.ts). */
  creditInquiry: { version: string; sha256: string };
}

/** `loan.authoriseCreditInquiry`: the version and hash from `quote` the borrower agreed to. */
export interface CreditInquiryRequest {
  version: string;
  textSha256: string;
}

/** The recorded credit-inquiry authorisation. */
export interface CreditInquiryAnswer {
  version: string;
  authorisedAt: number;
}

/** What the borrower submits to `loan.apply` (the function's strict input schema checks the same shape). */
export interface LoanApplyRequest {
  /** Idempotency key chosen once per form; a repeat returns the first answer. */
  requestId: string;
  amount: Fen;
  termMonths: number;
  method: RepaymentMethod;
  purpose: LoanPurposeCode;
  /** Free text; banned uses are refused. */
  purposeDescription?: string;
  /** Stable per-install random id; the server stores only its hash. */
  deviceFingerprint: string;
  /** Consent to the exact agreement text shown (e-signature evidence). */
  consent: { accepted: true; version: string; textSha256: string };
}

/** What `loan.apply` answers. */
export interface ApplyAnswer {
  applicationId: string;
  /** True when the same requestId had already been submitted. */
  replayed: boolean;
  application: ApplicationView;
}
