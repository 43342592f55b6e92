import type { CreditInquiryConsent } from '../risk/credit-data';

/**
 * The `borrowers` collection: one document per borrower, `_id` = the borrower's OPENID.
 * Identity fields are written only by the identity domain; lending fields only by the loan domain.
 * Both domains touch this one document in their transactions, which is what makes
 * "one active application per borrower" safe against write skew.
 */
export interface BorrowerDoc {
  /** The borrower's OPENID (from getWXContext, never from the event). */
  _id: string;
  /** Verified identity, absent until verification succeeds (identity domain). */
  identity?: BorrowerIdentity;
  /** Frozen borrowers cannot apply (AML hit or operator action; loan domain). */
  frozen: boolean;
  /** Plain-language reason shown to operators when frozen. */
  frozenReason?: string;
  /** The application currently in progress, or null (loan domain). */
  activeApplicationId: string | null;
  /**
   * Mirrors the identity's blacklist entry (`riskBlacklist`, written with it by the operator action),
   * so applying and paying read one document for both gates.
   */
  blacklisted?: boolean;
  /** Devices and IP-days this borrower applied from: fraud links found by one query (server/risk/signals.ts). */
  riskLinks?: RiskLinks;
  /** Running AML totals of this borrower's applications for the current China day and month (server/risk/aml-monitor.ts). */
  aml?: { day: PeriodTotals; month: PeriodTotals };
  /** The credit-inquiry authorisation in force (loan domain; server/loan/credit-consent.ts). */
  creditInquiry?: CreditInquiryConsent;
  /** Credit-inquiry authorisations the borrower withdrew, oldest first (loan domain); absent when none. */
  creditInquiryHistory?: WithdrawnCreditInquiry[];
  /** The borrower's own rights requests that stop new applications (identity domain); absent when none. */
  rights?: BorrowerRights;
  /** Set when the account was closed: the identity kept for retention only (the live `identity` is gone). */
  retained?: RetainedIdentity;
  /**
   * Amount paid out to this borrower (reserved by payout intents, less confirmed-unpaid bills) on
   * China day `day` (YYYYMMDD): the per-borrower day cap's counter (server/payout/borrower-day.ts).
   */
  payoutDay?: { day: string; amount: number };
  /** Incremented on every write; conditional updates check it. */
  version: number;
  createdAt: number;
  updatedAt: number;
}

/** A credit-inquiry authorisation as it stood, with when the borrower withdrew it. */
export interface WithdrawnCreditInquiry extends CreditInquiryConsent {
  withdrawnAt: number;
}

/** What verification established. Personal data only in encrypted form plus masks and blind indexes. */
export interface BorrowerIdentity {
  /** Encrypted name, ID number and phone (format owned by server/pii). */
  encrypted: { name: unknown; idNumber: unknown; phone: unknown };
  /** Keyed HMAC blind index of the normalised ID number: duplicate and blacklist lookups. */
  idHash: string;
  /** Keyed HMAC blind index of the phone number. */
  phoneHash: string;
  /** Masked forms for every answer (`*三`, `1****************X`, `138****5678`). */
  masked: { name: string; idNumber: string; phone: string };
  /** Birth date from the ID number, `YYYY-MM-DD` (age rules). */
  birthDate: string;
  /** From the ID number's sequence digit. */
  gender: 'male' | 'female';
  /** Resident ID or HK/Macao/Taiwan residence permit. */
  documentType: 'resident' | 'hmt_permit';
  /** Which verifier passed: WeChat face verification or ID-card OCR + phone. */
  verifier: 'face' | 'ocr_phone';
  verifiedAt: number;
}

/** Where a borrower applied from, newest first and bounded: device hashes and `<ip hash>-<day>` keys. */
export interface RiskLinks {
  devices: string[];
  ipDays: string[];
}

/** AML totals of one period (`key`: the China day `YYYYMMDD` or month `YYYYMM`). */
export interface PeriodTotals {
  key: string;
  amount: number;
  count: number;
  nearCap: number;
}

/** Rights requests that stop new applications, kept on the borrower so `apply` checks them in its own read. */
export interface BorrowerRights {
  /** When the processing consent was withdrawn; null once given again. */
  consentWithdrawnAt: number | null;
  /** When account deletion was requested; null once the request was cancelled. */
  deletionRequestedAt: number | null;
  /** When an operator closed the account (deletion completed); absent or null while open. */
  accountClosedAt?: number | null;
}

/**
 * What a closed account keeps under regulatory retention (AML law: identity and loan records for
 * 10 years after the relationship ends): the encrypted identity and its blind index only, no masks.
 */
export interface RetainedIdentity {
  retentionOnly: true;
  /** `YYYY-MM-DD` (China): delete or anonymise after this day. */
  retainedUntil: string;
  encrypted: BorrowerIdentity['encrypted'];
  idHash: string;
  documentType: BorrowerIdentity['documentType'];
  verifier: BorrowerIdentity['verifier'];
  verifiedAt: number;
  closedAt: number;
}
