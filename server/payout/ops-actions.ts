import { z } from 'zod';
import type { PayoutBillView } from '../../typings/payout';
import { recordAudit } from '../audit/audit-log';
import { reasonFields } from '../ops/reasons';
import { AppError } from '../runtime/app-error';
import { cancelPayout, holdPayout, retryPayout } from './manage';
import { loanIdSchema } from './loan-id';
import type { PayoutDoc } from './payout-doc';
import type { PayoutActor } from './ports';
import { startPayoutForApplication } from './start';
import { openDisagreements, type PayoutDisagreement } from './disagreement';
import { checkLedger, reconcilePayouts, type ReconcileReport } from './reconcile';
import type { PayoutRuntime } from './wiring';

/** Inputs of the operator payout actions (registered by the ops function after its operator check). */
export const payoutOpsInputs = {
  payoutRetry: z.strictObject({ loanId: loanIdSchema }),
  payoutCancel: z.strictObject({ loanId: loanIdSchema, ...reasonFields('cancel') }),
  payoutHold: z.strictObject({ loanId: loanIdSchema, ...reasonFields('hold') }),
  payoutHistory: z.strictObject({ loanId: loanIdSchema }),
  payoutReconcile: z.strictObject({}),
  payoutDisagreements: z.strictObject({}),
} as const;

/** An operator's full view of a payout: every bill with its history (no package_info, no name). */
export interface PayoutHistoryView {
  loanId: string;
  status: PayoutDoc['status'];
  reason?: string;
  amount: number;
  bills: PayoutBillView[];
}

/** The operator view of a payout. */
export function historyView(doc: PayoutDoc): PayoutHistoryView {
  return {
    loanId: doc._id,
    status: doc.status,
    ...(doc.reason ? { reason: doc.reason } : {}),
    amount: doc.amount,
    bills: doc.bills.map((b) => ({
      outBillNo: b.outBillNo,
      attempt: b.attempt,
      phase: b.phase,
      amount: b.amount,
      ...(b.transferBillNo ? { transferBillNo: b.transferBillNo } : {}),
      ...(b.failReason ? { failReason: b.failReason } : {}),
      history: b.history,
    })),
  };
}

/**
 * Operator payout actions. `operator` is the already-authorised operator openid; every action is
 * audited (state changes by their own commit, reads by a record of their own).
 */
export const payoutOps = {
  /** Starts (or resumes) the payout of an approved application. */
  async payoutStart(
    rt: PayoutRuntime,
    operator: string,
    input: { loanId: string },
  ): Promise<PayoutHistoryView> {
    return historyView(await startPayoutForApplication(rt.deps, rt.docs, input.loanId, actorOf(operator)));
  },
  /** New attempt after a confirmed failure (also from manual), or resend of an unanswered intent. */
  async payoutRetry(
    rt: PayoutRuntime,
    operator: string,
    input: z.infer<typeof payoutOpsInputs.payoutRetry>,
  ): Promise<PayoutHistoryView> {
    return historyView(await retryPayout(rt.deps, input.loanId, actorOf(operator), true));
  },
  /** Cancels a bill the borrower has not confirmed. */
  async payoutCancel(
    rt: PayoutRuntime,
    operator: string,
    input: z.infer<typeof payoutOpsInputs.payoutCancel>,
  ): Promise<PayoutHistoryView> {
    return historyView(await cancelPayout(rt.deps, input.loanId, actorOf(operator), input.reasonCode));
  },
  /** Marks the payout for manual handling with a reason the borrower sees. */
  async payoutHold(
    rt: PayoutRuntime,
    operator: string,
    input: z.infer<typeof payoutOpsInputs.payoutHold>,
  ): Promise<PayoutHistoryView> {
    return historyView(await holdPayout(rt.deps, input.loanId, actorOf(operator), input.reason));
  },
  /** A payout's full bill history. */
  async payoutHistory(
    rt: PayoutRuntime,
    operator: string,
    input: z.infer<typeof payoutOpsInputs.payoutHistory>,
  ): Promise<PayoutHistoryView> {
    const doc = await rt.deps.store.get(input.loanId);
    if (!doc) throw new AppError('PAYOUT_NOT_FOUND', '未找到该放款');
    await recordAudit(rt.docs, {
      at: rt.deps.clock.now(),
      actor: operator,
      actorType: 'operator',
      event: 'payout.history_viewed',
      subject: `payout:${doc._id}`,
      outcome: 'success',
      details: {},
    });
    return historyView(doc);
  },
  /** The open list of bills where our record and WeChat's answer disagree (oldest first). */
  async payoutDisagreements(
    rt: PayoutRuntime,
    operator: string,
  ): Promise<{ disagreements: PayoutDisagreement[] }> {
    const disagreements = await openDisagreements(rt.deps);
    await recordAudit(rt.docs, {
      at: rt.deps.clock.now(),
      actor: operator,
      actorType: 'operator',
      event: 'payout.disagreements_viewed',
      subject: 'payout:*',
      outcome: 'success',
      details: { open: disagreements.length },
    });
    return { disagreements };
  },
  /** Runs reconciliation now and returns the report with the ledger check. */
  async payoutReconcile(
    rt: PayoutRuntime,
    operator: string,
  ): Promise<ReconcileReport & { ledgerProblems: number }> {
    const report = await reconcilePayouts(rt.deps);
    const ledger = await checkLedger(rt.deps);
    await recordAudit(rt.docs, {
      at: rt.deps.clock.now(),
      actor: operator,
      actorType: 'operator',
      event: 'payout.reconcile_run',
      subject: 'payout:*',
      outcome: 'success',
      details: { examined: report.examined, settled: report.settled, findings: report.findings.length },
    });
    return {
      ...report,
      findings: [
        ...report.findings,
        ...ledger.map((p) => ({ loanId: p.ref, outBillNo: '', code: p.code, detail: p.detail })),
      ],
      ledgerProblems: ledger.length,
    };
  },
};

function actorOf(operator: string): PayoutActor {
  return { id: operator, type: 'operator' };
}
