import { LEDGER_COLLECTIONS } from '../ledger/append';

/** Collection names owned by the payout and ledger domains (declared in cloudbase/collections.json). */
export const PAYOUT_COLLECTIONS = {
  /** One document per loan: bills, status, version. */
  payouts: 'payouts',
  /** `_id` = out_bill_no → `{ progressQueryAt }`: per-bill rate limit of progress queries (payouts are found by `billNos`). */
  payoutBills: 'payoutBills',
  /** Daily limit counters: merchant shards `m:<day>:<nn>` (merchant-shards.ts), `b:<day>:<openid>` per borrower. */
  payoutCounters: 'payoutCounters',
  /** Hash-chained double-entry vouchers. */
  ledgerVouchers: LEDGER_COLLECTIONS.vouchers,
  /** `_id` = `head`: the ledger chain's last seq and hash. */
  ledgerHead: LEDGER_COLLECTIONS.head,
  /** Reconciliation mismatch reports for operators, one per tick that found something. */
  payoutReports: 'payoutReports',
} as const;
