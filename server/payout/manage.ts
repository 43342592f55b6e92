import { AppError } from '../runtime/app-error';
import { isCancellable, isConfirmedUnpaid } from './bill-state';
import { INTENT_RACES, mustGet, sendCreate } from './engine';
import { nextIntent } from './intent';
import { currentBill, type PayoutDoc } from './payout-doc';
import type { PayoutActor, PayoutDeps } from './ports';
import { settle } from './settle';
import { bookPayout, writePayout } from './write';

/**
 * Opens a new attempt after the current bill was confirmed unpaid. The borrower may do so while
 * attempts remain; an operator also from `manual`. Anything else is refused with the reason.
 */
export async function retryPayout(
  deps: PayoutDeps,
  loanId: string,
  actor: PayoutActor,
  byOperator: boolean,
): Promise<PayoutDoc> {
  for (let race = 0; race < INTENT_RACES; race++) {
    // A failure a notification recorded is booked (loan, limits) before the new attempt is decided.
    const doc = await bookPayout(deps, await mustGet(deps, loanId));
    const bill = currentBill(doc);
    if (doc.status === 'succeeded')
      throw new AppError('PAYOUT_ALREADY_SUCCEEDED', '借款已到账，无需重新发起');
    if (doc.disputed && !byOperator)
      throw new AppError('PAYOUT_DISPUTED', '放款记录与微信支付的结果不一致，已转人工核对，请等待客服联系');
    if (!isConfirmedUnpaid(bill.phase)) {
      if (byOperator && bill.phase === 'INTENT') return sendCreate(deps, loanId);
      throw new AppError('PAYOUT_NOT_RETRYABLE', '当前转账仍在处理中，请等待结果');
    }
    if (doc.status === 'manual' && !byOperator) {
      throw new AppError('PAYOUT_MANUAL_REVIEW', '已转人工处理，请等待客服联系或提交申诉');
    }
    if (!byOperator && doc.bills.length >= deps.settings.maxAttempts) {
      throw new AppError('PAYOUT_ATTEMPTS_EXHAUSTED', '重试次数已用完，已转人工处理');
    }
    const result = await deps.store.commit(await nextIntent(deps, doc, actor));
    if (result.kind === 'refused') throw new AppError(result.code, result.message);
    if (result.kind === 'committed') return sendCreate(deps, loanId, result.doc, !byOperator);
    // Lost a race (a notification or another tap wrote first): decide again on the fresh document.
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.floor(Math.random() * 40)));
  }
  throw new AppError('PAYOUT_BUSY', '放款处理繁忙，请稍后再试');
}

/** Asks WeChat to cancel a bill the borrower has not confirmed yet; the final state comes later. */
export async function cancelPayout(
  deps: PayoutDeps,
  loanId: string,
  actor: PayoutActor,
  reasonCode?: string,
): Promise<PayoutDoc> {
  const doc = await mustGet(deps, loanId);
  const bill = currentBill(doc);
  if (!isCancellable(bill.phase)) {
    throw new AppError('PAYOUT_NOT_CANCELLABLE', '该转账当前状态不可撤销');
  }
  await markCancelRequested(deps, loanId, bill.outBillNo, actor, reasonCode);
  const outcome = await deps.transfer.cancel(bill.outBillNo);
  if (outcome.kind === 'accepted') {
    return (await settle(deps, { outBillNo: bill.outBillNo, state: outcome.state, source: 'cancel' })) ?? doc;
  }
  if (outcome.kind === 'refused')
    throw new AppError('PAYOUT_CANCEL_REFUSED', `微信支付拒绝撤销（${outcome.code}）`);
  throw new AppError('PAYOUT_CANCEL_PENDING', '撤销请求结果未知，对账任务会继续确认');
}

async function markCancelRequested(
  deps: PayoutDeps,
  loanId: string,
  outBillNo: string,
  actor: PayoutActor,
  reasonCode: string | undefined,
): Promise<void> {
  await writePayout(
    deps,
    () => deps.store.get(loanId),
    (doc) => {
      const index = doc.bills.findIndex((b) => b.outBillNo === outBillNo);
      const bill = doc.bills[index];
      if (!bill || bill.cancelRequested) return undefined;
      const bills = [...doc.bills];
      bills[index] = { ...bill, cancelRequested: true };
      return {
        expectedVersion: doc.version,
        next: { ...doc, bills, version: doc.version + 1, updatedAt: deps.clock.now() },
        events: [
          {
            type: 'payout.cancel_requested',
            actor,
            detail: { loanId, outBillNo, ...(reasonCode ? { reasonCode } : {}) },
          },
        ],
        vouchers: [],
      };
    },
  );
}

/** Stops automatic handling: the application waits for an operator, with the reason shown. */
export async function holdPayout(
  deps: PayoutDeps,
  loanId: string,
  actor: PayoutActor,
  reason: string,
): Promise<PayoutDoc> {
  const stored = await writePayout(
    deps,
    () => deps.store.get(loanId),
    (doc) => {
      if (doc.status === 'succeeded' || doc.status === 'manual') return undefined;
      return {
        expectedVersion: doc.version,
        next: { ...doc, status: 'manual', reason, version: doc.version + 1, updatedAt: deps.clock.now() },
        events: [{ type: 'payout.manual', actor, detail: { loanId } }],
        vouchers: [],
      };
    },
  );
  if (!stored) throw new AppError('PAYOUT_NOT_FOUND', '未找到该放款');
  return stored;
}
