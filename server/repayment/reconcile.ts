import { inBatches } from '../runtime/in-batches';
import { findAllByCursor } from '../storage/cursor-pages';
import type { DocFilter, StoredDoc } from '../storage/doc-store';
import { appendAudit } from '../audit/audit-log';
import { auditKeys } from '../audit/audit-keys';
import { verifyLedgerChains } from '../ledger/check';
import { readLedger, readLoanLedger } from '../ledger/read';
import { applyPaidOrder } from './apply-payment';
import { collectionSubMchId } from './config';
import type { RepaymentDeps } from './deps';
import { REPAYMENT_COLLECTIONS as C, type RepaymentOrderDoc, type RepaymentPlanDoc } from './plan-doc';
import { refundExcess } from './refund';

/** An order younger than this is left to its result callback. */
const RESULT_WAIT_MS = 2 * 60_000;
const PAGE = 200;
/** Applied orders read per page by `verify` (the SDK's largest page). */
const VERIFY_PAGE = 1000;
/** cloudPay order queries `verify` keeps in flight at once (one at a time, a verify of the whole book grew by a round trip per order ever applied). */
const QUERIES_AT_ONCE = 8;

/** What one reconciliation pass did. */
export interface RepaymentReconcileReport {
  examined: number;
  applied: number;
  closed: number;
  refunded: number;
}

/** Closes an expired unpaid order at cloudPay and in our books (the plan may take a new one). */
async function closeExpired(deps: RepaymentDeps, order: RepaymentOrderDoc): Promise<boolean> {
  if (!(await deps.pay.closeOrder(collectionSubMchId(deps.config), order._id))) return false;
  await deps.docs.transact(async (tx) => {
    const [current, plan] = await Promise.all([
      tx.get<RepaymentOrderDoc>(C.orders, order._id),
      tx.get<RepaymentPlanDoc>(C.plans, order.loanId),
    ]);
    if (!current || current.state !== 'created') return;
    const at = deps.clock.now();
    await tx.put(C.orders, { ...current, state: 'closed' } as RepaymentOrderDoc & StoredDoc);
    if (plan && plan.openOrder?.outTradeNo === order._id)
      await tx.put(C.plans, {
        ...plan,
        openOrder: null,
        version: plan.version + 1,
        updatedAt: at,
      } as RepaymentPlanDoc & StoredDoc);
    await appendAudit(tx, {
      at,
      actor: 'system:repayment-reconcile',
      actorType: 'system',
      event: 'repayment.order_closed',
      subject: `loan:${order.loanId}`,
      outcome: 'success',
      details: { outTradeNo: order._id },
    });
  });
  return true;
}

/**
 * Finds what callbacks missed: every order still `created` after the wait is asked of cloudPay —
 * paid ones are applied (once: applying checks the stored state), expired unpaid ones closed —
 * and every refund still pending is asked again.
 */
export async function reconcileRepayments(deps: RepaymentDeps): Promise<RepaymentReconcileReport> {
  const now = deps.clock.now();
  const report: RepaymentReconcileReport = { examined: 0, applied: 0, closed: 0, refunded: 0 };
  const subMchId = collectionSubMchId(deps.config);
  const validMs = deps.config.orderValidMinutes * 60_000;
  const open = await deps.docs.find<RepaymentOrderDoc>(
    C.orders,
    { state: 'created', createdAt: { $lte: now - RESULT_WAIT_MS } },
    { orderBy: { field: 'createdAt', direction: 'asc' }, limit: PAGE },
  );
  for (const order of open) {
    report.examined += 1;
    const found = await deps.pay.queryOrder(subMchId, order._id);
    if (found.kind !== 'found') continue;
    const paid = found.state === 'SUCCESS' || found.state === 'REFUND';
    if (paid && found.totalFee === order.amount && found.openid === order.openid && found.transactionId) {
      const applied = await applyPaidOrder(
        deps,
        order._id,
        found.transactionId,
        { id: 'system:repayment-reconcile', type: 'system' },
        undefined,
        found.paidAt,
      );
      if (applied.kind === 'applied') {
        report.applied += 1;
        await refundExcess(deps, applied.order);
      }
    } else if (found.state === 'NOTPAY' && now - order.createdAt >= validMs) {
      if (await closeExpired(deps, order)) report.closed += 1;
    }
  }
  const refunds = await deps.docs.find<RepaymentOrderDoc>(C.orders, { refundPending: true }, { limit: PAGE });
  for (const order of refunds) if ((await refundExcess(deps, order)) === 'accepted') report.refunded += 1;
  return report;
}

/** One disagreement between the repayment ledger and cloudPay. */
export interface RepaymentLedgerProblem {
  code:
    | 'APPLIED_WITHOUT_VOUCHER'
    | 'VOUCHER_WITHOUT_ORDER'
    | 'AMOUNT_MISMATCH'
    | 'NOT_PAID_AT_CLOUDPAY'
    | 'REFUND_NOT_BOOKED'
    | 'CHAIN_BROKEN'
    | 'VOUCHER_UNBALANCED';
  /** The order, or for a broken chain its first broken link (`ledger:<loanId>#<seq>`). */
  ref: string;
}

/**
 * `verify`: the loan's ledger chain (or, for every loan, every chain and the seals) verifies; every
 * applied order has exactly its repayment voucher (same amount) and is paid at cloudPay with that
 * amount; every repayment voucher has an applied order; accepted refunds are booked.
 */
export async function verifyRepaymentLedger(
  deps: RepaymentDeps,
  loanId?: string,
): Promise<RepaymentLedgerProblem[]> {
  const filter: DocFilter = loanId ? { loanId } : {};
  const [orders, books] = await Promise.all([
    // Every applied order (a single page of 1,000 left the rest unchecked, their vouchers "without order").
    findAllByCursor<RepaymentOrderDoc>(deps.docs, C.orders, { ...filter, state: 'applied' }, VERIFY_PAGE),
    loanId ? readLoanLedger(deps.docs, loanId) : readLedger(deps.docs),
  ]);
  const vouchers = books.vouchers;
  const problems: RepaymentLedgerProblem[] = verifyLedgerChains(auditKeys(), books).map((p) => ({
    code: p.code as 'CHAIN_BROKEN' | 'VOUCHER_UNBALANCED',
    ref: p.ref,
  }));
  const byRef = new Map(vouchers.map((v) => [`${v.kind}:${v.outBillNo}`, v]));
  const subMchId = collectionSubMchId(deps.config);
  const online = orders.filter((order) => !order.offline);
  const answers = await inBatches(online, QUERIES_AT_ONCE, (order) =>
    deps.pay.queryOrder(subMchId, order._id),
  );
  for (const [i, order] of online.entries()) {
    const voucher = byRef.get(`repayment:${order._id}`);
    if (!voucher) problems.push({ code: 'APPLIED_WITHOUT_VOUCHER', ref: order._id });
    else if (voucher.amount !== order.amount) problems.push({ code: 'AMOUNT_MISMATCH', ref: order._id });
    const found = answers[i];
    if (
      found?.kind !== 'found' ||
      (found.state !== 'SUCCESS' && found.state !== 'REFUND') ||
      found.totalFee !== order.amount
    )
      problems.push({ code: 'NOT_PAID_AT_CLOUDPAY', ref: order._id });
    if (order.refund?.state === 'accepted' && !byRef.get(`refund:${order.refund.outRefundNo}`))
      problems.push({ code: 'REFUND_NOT_BOOKED', ref: order._id });
  }
  const applied = new Set(orders.map((o) => o._id));
  for (const v of vouchers)
    if (v.kind === 'repayment' && !applied.has(v.outBillNo))
      problems.push({ code: 'VOUCHER_WITHOUT_ORDER', ref: v.outBillNo });
  return problems;
}
