import { z } from 'zod';
import type { PayoutHistoryView, PayoutListItem } from '../../typings/ops';
import { recordAudit } from '../audit/audit-log';
import { recordOperatorRead } from '../audit/operator-read';
import { reasonFields } from '../ops/reasons';
import { AppError } from '../runtime/app-error';
import { cancelPayout, holdPayout, retryPayout } from './manage';
import { loanIdSchema } from './loan-id';
import { PAYOUT_COLLECTIONS } from './collections';
import { currentBill, type PayoutDoc } from './payout-doc';

export type { PayoutHistoryView, PayoutListItem };
import type { DocFilter, StoredDoc } from '../storage/doc-store';
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
  payoutList: z.strictObject({
    /** `stuck`: not final after STUCK_AFTER_MS; `failed` / `manual`: the payout's status. */
    kind: z.enum(['stuck', 'failed', 'manual']),
    offset: z.number().int().min(0).max(100_000).default(0),
    limit: z.number().int().min(1).max(100).default(20),
  }),
  payoutDisagreements: z.strictObject({}),
} as const;

/** A payout counts as stuck when its current bill is not final this long after the payout began. */
export const STUCK_AFTER_MS = 30 * 60 * 1000;

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
    return historyView(await startPayoutForApplication(rt.deps, input.loanId, actorOf(operator)));
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
    await recordOperatorRead(rt.docs, {
      at: rt.deps.clock.now(),
      operator,
      event: 'payout.history_viewed',
      subject: `payout:${doc._id}`,
      details: {},
    });
    return historyView(doc);
  },
  /** Stuck, failed or held payouts, oldest first (audited as a read). */
  async payoutList(
    rt: PayoutRuntime,
    operator: string,
    input: z.infer<typeof payoutOpsInputs.payoutList>,
  ): Promise<{ items: PayoutListItem[] }> {
    const now = rt.deps.clock.now();
    const filter: DocFilter =
      input.kind === 'stuck'
        ? { open: true, createdAt: { $lt: now - STUCK_AFTER_MS } }
        : { status: input.kind };
    const [docs] = await Promise.all([
      rt.docs.find<PayoutDoc & StoredDoc>(PAYOUT_COLLECTIONS.payouts, filter, {
        orderBy: { field: 'createdAt', direction: 'asc' },
        skip: input.offset,
        limit: input.limit,
      }),
      recordOperatorRead(rt.docs, {
        at: now,
        operator,
        event: 'payout.list_viewed',
        details: { kind: input.kind },
      }),
    ]);
    return {
      items: docs.map((doc) => {
        const bill = currentBill(doc);
        return {
          loanId: doc._id,
          status: doc.status,
          ...(doc.reason ? { reason: doc.reason } : {}),
          amount: doc.amount,
          attempts: doc.bills.length,
          phase: bill.phase,
          ...(bill.failReason ? { failReason: bill.failReason } : {}),
          ...(doc.bookingPending && doc.booking ? { bookingPendingSince: doc.booking.recordedAt } : {}),
          createdAt: doc.createdAt,
          updatedAt: doc.updatedAt,
        };
      }),
    };
  },
  /** The open list of bills where our record and WeChat's answer disagree (oldest first). */
  async payoutDisagreements(
    rt: PayoutRuntime,
    operator: string,
  ): Promise<{ disagreements: PayoutDisagreement[] }> {
    const disagreements = await openDisagreements(rt.deps);
    await recordOperatorRead(rt.docs, {
      at: rt.deps.clock.now(),
      operator,
      event: 'payout.disagreements_viewed',
      subject: 'payouts',
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
      subject: 'payouts',
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
