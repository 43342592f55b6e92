import type { Fen } from '../../typings/money';
import type { PayAnswer, RepaymentKind } from '../../typings/repayment';
import { appendAudit } from '../audit/audit-log';
import type { StoredDoc } from '../storage/doc-store';
import { AppError } from '../runtime/app-error';
import type { Caller } from '../runtime/caller';
import { followPlanStatus } from './apply-payment';
import { collectionSubMchId } from './config';
import { RESULT_FUNCTION, type RepaymentDeps } from './deps';
import { orderNumberFor } from './order-number';
import { ownPlan, planAsOf, today } from './plan-access';
import {
  REPAYMENT_COLLECTIONS as C,
  type PayRequestDoc,
  type RepaymentOrderDoc,
  type RepaymentPlanDoc,
} from './plan-doc';
import { quoteRepayment } from './quote';

/** What the borrower pays for one kind (order body; the lock screen shows only the merchant's template). */
const ORDER_BODY: Record<RepaymentKind, string> = {
  due: '借款还款-本期',
  overdue: '借款还款-逾期',
  payoff: '借款还款-提前结清',
};

/** True when an open order is still usable (not yet past its validity). */
function stillOpen(plan: RepaymentPlanDoc, deps: RepaymentDeps): boolean {
  const open = plan.openOrder;
  return !!open && deps.clock.now() - open.createdAt < deps.config.orderValidMinutes * 60_000;
}

/**
 * Stores the order intent (one open order per loan; a repeat of the same requestId returns the
 * same order) in one transaction, before cloudPay is ever called.
 */
async function storeIntent(
  deps: RepaymentDeps,
  caller: Caller & { openid: string },
  loanId: string,
  kind: RepaymentKind,
  requestId: string,
): Promise<{ order: RepaymentOrderDoc; replayed: boolean }> {
  const outTradeNo = orderNumberFor(loanId, requestId);
  const day = today(deps);
  return deps.docs.transact(async (tx) => {
    const [request, stored] = await Promise.all([
      tx.get<PayRequestDoc>(C.requests, outTradeNo),
      tx.get<RepaymentPlanDoc>(C.plans, loanId),
    ]);
    const existing = request ? await tx.get<RepaymentOrderDoc>(C.orders, request.outTradeNo) : undefined;
    if (existing) {
      if (existing.loanId !== loanId || existing.kind !== kind)
        throw new AppError('REQUEST_ID_REUSED', '该还款请求已用于其他还款，请重新发起');
      return { order: existing, replayed: true };
    }
    if (!stored) throw new AppError('REPAYMENT_NOT_FOUND', '未找到该借款的还款计划');
    const plan = planAsOf(stored, day, deps.clock.now());
    const quote = quoteRepayment(plan, kind, day);
    if (plan.openOrder && stillOpen(plan, deps)) {
      const open = await tx.get<RepaymentOrderDoc>(C.orders, plan.openOrder.outTradeNo);
      if (open && open.state === 'created' && open.kind === kind && open.amount === quote.amount) {
        // A second tap (another requestId) joins the open order; repeating it answers that order again.
        await tx.put(C.requests, { _id: outTradeNo, outTradeNo: open._id, loanId });
        return { order: open, replayed: true };
      }
      throw new AppError('PAYMENT_IN_PROGRESS', '您有一笔还款正在处理中，请完成支付或稍后再试');
    }
    const at = deps.clock.now();
    const order: RepaymentOrderDoc = {
      _id: outTradeNo,
      loanId,
      openid: caller.openid,
      requestId,
      kind,
      amount: quote.amount,
      breakdown: quote.breakdown,
      quotedOn: day,
      periods: quote.periods,
      planVersion: plan.version,
      state: 'created',
      createdAt: at,
    };
    await tx.put(C.orders, order);
    await tx.put(C.requests, { _id: outTradeNo, outTradeNo, loanId });
    const next: RepaymentPlanDoc = {
      ...plan,
      openOrder: { outTradeNo, kind, amount: quote.amount as Fen, createdAt: at },
      version: stored.version + 1,
      updatedAt: at,
    };
    await tx.put(C.plans, next as RepaymentPlanDoc & StoredDoc);
    // Today's overdue marking may be written here first (before the daily tick): the loan follows it.
    await followPlanStatus(tx, stored, next, { id: 'system:repayment-daily', type: 'system' }, at);
    await appendAudit(tx, {
      at,
      actor: caller.openid,
      actorType: 'borrower',
      event: 'repayment.order',
      subject: `loan:${loanId}`,
      outcome: 'success',
      details: { outTradeNo, kind, amount: quote.amount },
    });
    return { order, replayed: false };
  });
}

/**
 * `pay`: one cloudPay order per request (intent stored first, then unifiedOrder with the same
 * parameters every time, which cloudPay answers with the same prepay id), answering what
 * `wx.requestPayment` needs.
 */
export async function payRepayment(
  deps: RepaymentDeps,
  caller: Caller,
  input: { loanId: string; kind: RepaymentKind; requestId: string },
): Promise<PayAnswer> {
  const plan = await ownPlan(deps, caller, input.loanId);
  const subMchId = collectionSubMchId(deps.config);
  const borrower = { ...caller, openid: plan.openid };
  const { order, replayed } = await storeIntent(deps, borrower, input.loanId, input.kind, input.requestId);
  if (order.state !== 'created') throw new AppError('ORDER_ALREADY_PAID', '这笔还款已支付，请查看还款记录');
  const answer = await deps.pay.unifiedOrder({
    outTradeNo: order._id,
    totalFee: order.amount,
    body: ORDER_BODY[order.kind],
    openid: order.openid,
    clientIp: caller.clientIp ?? '127.0.0.1',
    subMchId,
    functionName: RESULT_FUNCTION,
  });
  if (answer.kind === 'paid') throw new AppError('ORDER_ALREADY_PAID', '这笔还款已支付，请查看还款记录');
  if (answer.kind === 'refused') throw new AppError('PAYMENT_UNAVAILABLE', '暂时无法发起支付，请稍后再试');
  return { outTradeNo: order._id, kind: order.kind, amount: order.amount, replayed, payment: answer.payment };
}
