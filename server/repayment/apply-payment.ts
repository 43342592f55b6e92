import type { Fen } from '../../typings/money';
import { appendAudit } from '../audit/audit-log';
import type { StoredDoc, TxDocs } from '../storage/doc-store';
import type { ActorType } from '../audit/chain';
import { appendVouchers } from '../ledger/append';
import { transitionApplication } from '../loan/transition';
import type { Operator } from '../ops/operator-auth';
import { allocatePayment } from './allocate';
import { pendingFor } from './approval-queue';
import type { RepaymentDeps } from './deps';
import { chinaDay } from './due-dates';
import { refundNumberFor } from './order-number';
import { planAsOf } from './plan-access';
import { REPAYMENT_COLLECTIONS as C, type RepaymentOrderDoc, type RepaymentPlanDoc } from './plan-doc';
import { repaymentVoucher } from './vouchers';

/** Outcome of applying a paid order. */
export type ApplyOutcome =
  | { kind: 'applied'; order: RepaymentOrderDoc }
  | { kind: 'already_applied'; order: RepaymentOrderDoc }
  | { kind: 'unknown_order' };

/** Moves the loan to the plan's status when it changed (the one transition table decides). */
export async function followPlanStatus(
  tx: TxDocs,
  before: RepaymentPlanDoc,
  after: RepaymentPlanDoc,
  actor: { id: string; type: ActorType },
  at: number,
  note?: string,
): Promise<void> {
  if (before.status === after.status) return;
  await transitionApplication(tx, {
    applicationId: after._id,
    to: after.status,
    actor,
    at,
    ...(note ? { note } : {}),
    details: { domain: 'repayment', planVersion: after.version },
  });
}

/**
 * Applies a verified, paid order exactly once in one transaction: allocation on the plan,
 * the order marked applied with its receipt and any refund due, one ledger voucher, the loan's
 * status, one audit record. A second delivery finds the order applied and changes nothing.
 */
export async function applyPaidOrder(
  deps: RepaymentDeps,
  outTradeNo: string,
  transactionId: string,
  actor: { id: string; type: ActorType } = { id: 'system:cloudpay', type: 'system' },
  /** An order to create and apply in the same transaction (offline repayments: no cloudPay order). */
  seed?: RepaymentOrderDoc,
  /** When the payer paid (cloudPay's time_end): the payment counts as of that China day. */
  paidAt?: number,
  /** A second operator's approval of a pending offline repayment: still pending, or refused. */
  check?: { approvalId: string; checker: Operator },
): Promise<ApplyOutcome> {
  return deps.docs.transact(async (tx): Promise<ApplyOutcome> => {
    const order = (await tx.get<RepaymentOrderDoc>(C.orders, outTradeNo)) ?? seed;
    if (!order) return { kind: 'unknown_order' };
    if (order.state === 'applied') return { kind: 'already_applied', order };
    const stored = await tx.get<RepaymentPlanDoc>(C.plans, order.loanId);
    if (!stored) return { kind: 'unknown_order' };
    if (check) pendingFor(stored, check.approvalId, check.checker);
    const at = deps.clock.now();
    const day = chinaDay(Math.min(paidAt ?? at, at));
    const plan = planAsOf(stored, day, at);
    const settledAlready = plan.status === 'settled' || plan.status === 'written_off';
    const applied = settledAlready
      ? {
          plan: { ...plan, openOrder: null },
          allocation: { principal: 0 as Fen, interest: 0 as Fen, penalty: 0 as Fen, excess: order.amount },
        }
      : allocatePayment(
          plan,
          order.amount,
          day,
          { payoff: order.kind === 'payoff', periods: order.periods },
          at,
        );
    const next: RepaymentOrderDoc = {
      ...order,
      state: 'applied',
      appliedAt: at,
      transactionId,
      allocation: applied.allocation,
      ...(applied.allocation.excess > 0
        ? {
            refund: {
              outRefundNo: refundNumberFor(order._id),
              amount: applied.allocation.excess,
              state: 'pending' as const,
            },
            refundPending: true,
          }
        : {}),
    };
    const nextPlan = {
      ...applied.plan,
      openOrder: stored.openOrder?.outTradeNo === order._id ? null : stored.openOrder,
      // Only the approved request leaves; any other pending action on the plan stays pending.
      pendingApproval: check ? null : (stored.pendingApproval ?? null),
      version: stored.version + 1,
    };
    await tx.put(C.orders, next);
    await tx.put(C.plans, nextPlan as RepaymentPlanDoc & StoredDoc);
    await appendVouchers(
      tx,
      [repaymentVoucher(order.loanId, order._id, order.amount, applied.allocation)],
      at,
    );
    await followPlanStatus(
      tx,
      stored,
      nextPlan,
      actor,
      at,
      nextPlan.status === 'settled' ? '借款已全部还清' : undefined,
    );
    await appendAudit(tx, {
      at,
      actor: actor.id,
      actorType: actor.type,
      event: 'repayment.applied',
      subject: `loan:${order.loanId}`,
      outcome: 'success',
      details: {
        outTradeNo,
        amount: order.amount,
        ...applied.allocation,
        ...(check ? { checker: check.checker.id } : {}),
      },
    });
    return { kind: 'applied', order: next };
  });
}
