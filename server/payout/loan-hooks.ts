import { appendAudit } from '../audit/audit-log';
import type { AuditEntry } from '../audit/chain';
import type { TxDocs } from '../storage/doc-store';
import { assertMoneyMayMove } from '../loan/money-gate';
import { APPLICATIONS, BORROWERS, type ApplicationDoc } from '../loan/application-doc';
import { loadApplication, transitionApplication } from '../loan/transition';
import { openRepaymentPlan } from '../repayment/open-plan';
import type { LoanPayoutStatus, PayoutActor, PayoutEvent } from './ports';

/** Statuses after disbursement: a late `disbursed` observation changes nothing there. */
const REPAYMENT_STATUSES = new Set<string>(['repaying', 'overdue', 'settled', 'written_off']);

/**
 * The payout's writes into the loan domain, inside the payout commit's transaction: status moves
 * through the loan's own transition function (which appends its audit record and queues the
 * borrower's notification), and each payout event becomes one record in the payout's audit chain.
 */
export const loanTxHooks = {
  /** Moves the loan to `to`; staying in the same status is a no-op. */
  async moveLoan(
    tx: TxDocs,
    loanId: string,
    to: LoanPayoutStatus,
    note: string | undefined,
    actor: PayoutActor,
    at: number,
  ) {
    const app = await loadApplication(tx, loanId);
    if (app.status === to || (to === 'disbursed' && REPAYMENT_STATUSES.has(app.status))) return;
    await transitionApplication(tx, {
      applicationId: loanId,
      to,
      actor,
      at,
      ...(note ? { note } : {}),
      details: { domain: 'payout' },
    });
    // The contract schedule is fixed in the very transaction that books the money as landed.
    if (to === 'disbursed') await openRepaymentPlan(tx, loanId, actor, at);
  },
  /**
   * The loan domain's money gate, asked before a commit opens a bill (first intent or retry):
   * throws BORROWER_FROZEN / BORROWER_BLACKLISTED so nothing of the commit is written.
   */
  async guardDisbursement(tx: TxDocs, loanId: string) {
    const app = await loadApplication(tx, loanId);
    await assertMoneyMayMove((c, id) => tx.get(c, id), app.openid);
  },
  /**
   * The application a first intent would pay, read in the intent's transaction; its payee's
   * borrower document (the money gate's and the day total's) is read at the same time when known.
   */
  async applicationToPay(tx: TxDocs, loanId: string, payee: string | undefined) {
    const [app] = await Promise.all([
      tx.get<ApplicationDoc>(APPLICATIONS, loanId),
      payee ? tx.get(BORROWERS, payee) : undefined,
    ]);
    return app;
  },
  /** Appends one audit record of a payout event. */
  async audit(tx: TxDocs, event: PayoutEvent, at: number) {
    await appendAudit(tx, payoutAuditEntry(event, at));
  },
};

/** The audit entry of a payout event (the payout's own chain). */
export function payoutAuditEntry(event: PayoutEvent, at: number): AuditEntry {
  return {
    at,
    actor: event.actor.id,
    actorType: event.actor.type,
    event: event.type,
    subject: `payout:${String(event.detail.loanId ?? '')}`,
    outcome: 'success',
    details: event.detail,
  };
}
