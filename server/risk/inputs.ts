import type { CreditOutage } from './credit-data';

/** What the bureau-like credit data source knows about one identity. */
export interface CreditProfile {
  creditHistoryMonths: number;
  overdueCount: number;
  maxOverdueDays: number;
  inquiries6m: number;
  debtToIncomePct: number;
}

/**
 * Why the decision has no credit data to look at: the bureau was unavailable (with the cause), or the
 * borrower's credit-inquiry authorisation is not in force (the bureau was not called). Either sends
 * the application to a person; never an automatic rejection.
 */
export type CreditGap =
  { code: 'CREDIT_BUREAU_UNAVAILABLE'; cause: CreditOutage } | { code: 'CREDIT_INQUIRY_NOT_AUTHORISED' };

/** Everything the decision looks at; stored with the decision (no personal data). */
export interface RiskInputs {
  identityVerified: boolean;
  /** Age in whole years on the application day; null when unknown. */
  age: number | null;
  blacklisted: boolean;
  frozen: boolean;
  purposeBanned: boolean;
  /** Requested amount (fen). */
  amount: number;
  /** The product's largest offer (fen): band limits are shares of it. */
  productMaxAmount: number;
  /** Distinct openids seen on this device. */
  deviceOpenids: number;
  /** Distinct identities (blind indexes) seen on this device. */
  deviceIdentities: number;
  /** Distinct openids applying from this IP today. */
  ipOpenidsPerDay: number;
  /** WeChat's risk rank 0–4, null when unavailable. */
  wechatRiskRank: number | null;
  /** Null when there is no credit file (or no credit data: see `creditGap`). */
  credit: CreditProfile | null;
  /** Present when credit data could not be used. */
  creditGap?: CreditGap;
}
