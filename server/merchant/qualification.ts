import type { Fen } from '../../typings/money';

/** Who the merchant number belongs to, as registered with WeChat Pay. */
export type MerchantSubjectType = 'enterprise' | 'individual_business' | 'individual';

/** What a subject type may use for payouts. Product policy, tightened further by server/limits. */
export interface Qualification {
  /** Whether merchant transfer (商家转账) may be used at all. */
  merchantTransfer: boolean;
  /** Whether transfers ≥ 2,000 CNY (which need the payee's encrypted real name) are allowed. */
  largeTransfers: boolean;
  /** Upper bound on one transfer, fen. */
  perTransferCapFen: Fen;
  /** Upper bound on all transfers of the merchant per day (UTC+8), fen. */
  merchantDailyCapFen: Fen;
}

/**
 * The qualification table: the one place deciding which payout features each subject type may use.
 * Individuals (小微商户) cannot open merchant transfer; individual businesses get lower ceilings.
 */
export const QUALIFICATIONS: Readonly<Record<MerchantSubjectType, Qualification>> = {
  enterprise: {
    merchantTransfer: true,
    largeTransfers: true,
    perTransferCapFen: 100_000_000 as Fen,
    merchantDailyCapFen: 1_000_000_000 as Fen,
  },
  individual_business: {
    merchantTransfer: true,
    largeTransfers: false,
    perTransferCapFen: 199_999 as Fen,
    merchantDailyCapFen: 10_000_000 as Fen,
  },
  individual: {
    merchantTransfer: false,
    largeTransfers: false,
    perTransferCapFen: 0 as Fen,
    merchantDailyCapFen: 0 as Fen,
  },
};
