import type { TxDocs } from '../audit/doc-store';
import type { LoanPayoutStatus, PayoutActor, PayoutEvent } from './ports';

/**
 * What a payout commit writes into other domains' documents inside the same transaction: the
 * loan's status (through the loan domain's transition table, which also queues the borrower's
 * notification) and one audit record per payout event. Implementations only use `tx`.
 */
export interface PayoutTxHooks {
  /** Moves the loan to `to`; staying in the same status is a no-op. */
  moveLoan(
    tx: TxDocs,
    loanId: string,
    to: LoanPayoutStatus,
    note: string | undefined,
    actor: PayoutActor,
    at: number,
  ): Promise<void>;
  /**
   * The loan domain's money gate, asked before a commit opens a bill (first intent or retry):
   * throws BORROWER_FROZEN / BORROWER_BLACKLISTED so nothing of the commit is written.
   */
  guardDisbursement(tx: TxDocs, loanId: string): Promise<void>;
  /** Appends one hash-chained audit record. */
  audit(tx: TxDocs, event: PayoutEvent, at: number): Promise<void>;
}
