import { appendAudit } from '../audit/audit-log';
import type { TxDocs } from '../audit/doc-store';
import { assertMoneyMayMove } from '../loan/money-gate';
import { loadApplication, transitionApplication } from '../loan/transition';
import type { LoanPayoutStatus, PayoutActor, PayoutEvent } from './ports';
import type { PayoutTxHooks } from './tx-hooks';

/**
 * The payout's writes into the loan domain: status moves through the loan's own transition
 * function (which appends its audit record and queues the borrower's notification), and each
 * payout event becomes one record in the shared audit chain.
 */
export const loanTxHooks: PayoutTxHooks = {
  async moveLoan(
    tx: TxDocs,
    loanId: string,
    to: LoanPayoutStatus,
    note: string | undefined,
    actor: PayoutActor,
    at: number,
  ) {
    const app = await loadApplication(tx, loanId);
    if (app.status === to) return;
    await transitionApplication(tx, {
      applicationId: loanId,
      to,
      actor,
      at,
      ...(note ? { note } : {}),
      details: { domain: 'payout' },
    });
  },
  async guardDisbursement(tx: TxDocs, loanId: string) {
    const app = await loadApplication(tx, loanId);
    await assertMoneyMayMove((c, id) => tx.get(c, id), app.openid, app.idHash);
  },
  async audit(tx: TxDocs, event: PayoutEvent, at: number) {
    await appendAudit(tx, {
      at,
      actor: event.actor.id,
      actorType: event.actor.type,
      event: event.type,
      subject: `payout:${String(event.detail.loanId ?? '')}`,
      outcome: 'success',
      details: event.detail,
    });
  },
};
