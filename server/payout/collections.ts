import { LEDGER_COLLECTIONS } from '../ledger/append';

/** Collection names owned by the payout and ledger domains (declared in cloudbase/collections.json). */
export const PAYOUT_COLLECTIONS = {
  /** One document per loan: bills, status, version. */
  payouts: 'payouts',
  /** `_id` = out_bill_no → `{ progressQueryAt }`: per-bill rate limit of progress queries (payouts are found by `billNos`). */
  payoutBills: 'payoutBills',
  /** Daily limit counters: merchant shards `m:<day>:<nn>` (merchant-shards.ts); per borrower see borrower-day.ts. */
  payoutCounters: 'payoutCounters',
  /** Double-entry vouchers, each a keyed link of its loan's chain. */
  ledgerVouchers: LEDGER_COLLECTIONS.vouchers,
  /** One ledger chain head per loan (`_id` = `ledger:<loanId>`). */
  ledgerHeads: LEDGER_COLLECTIONS.heads,
  /** The ledger's seal chain (written by the sealing timer). */
  ledgerSeals: LEDGER_COLLECTIONS.seals,
  /** `_id` = `cursor`: where the reconcile timer's ledger sweep stands (ledger-sweep.ts), written only by it. */
  ledgerSweeps: 'ledgerSweeps',
  /** Bills where our record and WeChat's answer disagree (`_id` = out_bill_no), for operators. */
  payoutDisagreements: 'payoutDisagreements',
  /** Reconciliation mismatch reports for operators, one per tick that found something. */
  payoutReports: 'payoutReports',
} as const;
