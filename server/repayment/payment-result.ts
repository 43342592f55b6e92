import { z } from 'zod';
import type { Caller } from '../runtime/caller';
import { applyPaidOrder } from './apply-payment';
import { collectionSubMchId } from './config';
import type { RepaymentDeps } from './deps';
import { REPAYMENT_COLLECTIONS as C, type RepaymentOrderDoc } from './plan-doc';
import { refundExcess } from './refund';

/** What cloudPay expects back: `errcode` 0 acknowledges; anything else makes it deliver again. */
export interface CallbackAnswer {
  errcode: number;
  errmsg: string;
}

/** The payment-result event's fields we rely on (camelCased v2 notify). */
const paymentEvent = z.object({
  returnCode: z.literal('SUCCESS'),
  resultCode: z.literal('SUCCESS'),
  subMchId: z.string(),
  subOpenid: z.string(),
  outTradeNo: z.string().max(32),
  transactionId: z.string().min(1).max(64),
  totalFee: z.number().int().positive(),
});

/** The refund-result event (acknowledged; the refund itself was booked when cloudPay accepted it). */
const refundEvent = z.object({ outRefundNo: z.string(), refundStatus: z.string() });

const ack: CallbackAnswer = { errcode: 0, errmsg: 'OK' };
const refuse = (code: string): CallbackAnswer => ({ errcode: 1, errmsg: code });

/**
 * The function cloudPay calls with payment results (SOURCE `wx_paycallback` only). A result is
 * applied only when it matches the stored order (number, amount, payer, merchant) and cloudPay's
 * own query confirms it paid; then exactly once; then any excess is refunded. Anything that fails
 * verification changes nothing and is answered with its code.
 */
export async function handlePaymentResult(
  deps: RepaymentDeps,
  caller: Caller,
  event: unknown,
): Promise<CallbackAnswer> {
  if (!caller.source.split(',').includes('wx_paycallback')) return refuse('RESULT_NOT_FROM_CLOUDPAY');
  if (refundEvent.safeParse(event).success) return ack;
  const parsed = paymentEvent.safeParse(event);
  if (!parsed.success) return refuse('RESULT_MALFORMED');
  const result = parsed.data;
  const subMchId = collectionSubMchId(deps.config);
  const order = await deps.docs.get<RepaymentOrderDoc>(C.orders, result.outTradeNo);
  // Not stored yet (or never ours): not acknowledged, so cloudPay delivers again later.
  if (!order) return refuse('ORDER_UNKNOWN');
  if (result.subMchId !== subMchId) return refuse('RESULT_MERCHANT_MISMATCH');
  if (result.totalFee !== order.amount) return refuse('RESULT_AMOUNT_MISMATCH');
  if (result.subOpenid !== order.openid) return refuse('RESULT_PAYER_MISMATCH');
  if (order.state === 'applied') {
    if (order.transactionId !== result.transactionId) return refuse('RESULT_TRANSACTION_MISMATCH');
    await refundExcess(deps, order);
    return ack;
  }
  const confirmed = await deps.pay.queryOrder(subMchId, order._id);
  if (confirmed.kind !== 'found') return refuse('RESULT_UNCONFIRMED');
  if (
    (confirmed.state !== 'SUCCESS' && confirmed.state !== 'REFUND') ||
    confirmed.totalFee !== order.amount ||
    confirmed.openid !== order.openid ||
    confirmed.transactionId !== result.transactionId
  )
    return refuse('RESULT_NOT_PAID');
  deps.crashPoint?.('repayment.before_apply');
  const applied = await applyPaidOrder(
    deps,
    order._id,
    result.transactionId,
    undefined,
    undefined,
    confirmed.paidAt,
  );
  if (applied.kind === 'unknown_order') return refuse('ORDER_UNKNOWN');
  deps.crashPoint?.('repayment.after_apply');
  await refundExcess(deps, applied.order);
  return ack;
}
