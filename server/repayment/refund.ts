import type { StoredDoc } from '../storage/doc-store';
import { appendAudit } from '../audit/audit-log';
import { appendVouchers } from '../ledger/append';
import { collectionSubMchId } from './config';
import type { RepaymentDeps } from './deps';
import { REPAYMENT_COLLECTIONS as C, type RepaymentOrderDoc } from './plan-doc';
import { refundVoucher } from './vouchers';

/**
 * Asks cloudPay to refund an applied order's pending excess (idempotent by refund number) and,
 * once accepted, books the refund voucher and marks it accepted. Runs outside any transaction;
 * a failure leaves it pending for the next reconciliation tick.
 */
export async function refundExcess(
  deps: RepaymentDeps,
  order: RepaymentOrderDoc,
): Promise<'accepted' | 'failed' | 'none'> {
  const refund = order.refund;
  if (!refund || refund.state !== 'pending') return 'none';
  const answer = await deps.pay.refund({
    subMchId: collectionSubMchId(deps.config),
    outTradeNo: order._id,
    outRefundNo: refund.outRefundNo,
    totalFee: order.amount,
    refundFee: refund.amount,
    desc: '还款多付退回',
  });
  if (answer !== 'accepted') return 'failed';
  await deps.docs.transact(async (tx) => {
    const current = await tx.get<RepaymentOrderDoc>(C.orders, order._id);
    if (!current?.refund || current.refund.state !== 'pending') return;
    const at = deps.clock.now();
    await tx.put(C.orders, {
      ...current,
      refund: { ...current.refund, state: 'accepted' },
      refundPending: false,
    } as RepaymentOrderDoc & StoredDoc);
    await appendVouchers(
      tx,
      [refundVoucher(current.loanId, current.refund.outRefundNo, current.refund.amount)],
      at,
    );
    await appendAudit(tx, {
      at,
      actor: 'system:repayment',
      actorType: 'system',
      event: 'repayment.refund',
      subject: `loan:${current.loanId}`,
      outcome: 'success',
      details: {
        outTradeNo: current._id,
        outRefundNo: current.refund.outRefundNo,
        amount: current.refund.amount,
      },
    });
  });
  return 'accepted';
}
