import { z } from 'zod';
import type { PayApiContext } from './context';
import { paramMessage } from './order-api';
import type { PayOrder, PayRefund } from './state';
import { businessFailure, chinaTime, numericId, requestFailure, successReply } from './v2-format';

const fen = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const refundNo = z.string().regex(/^[A-Za-z0-9_\-|*@]{1,64}$/, '≤ 64 letters, digits, _-|*@');

const refundParams = z
  .object({
    sub_mch_id: z.string().min(1),
    out_trade_no: z.string().optional(),
    transaction_id: z.string().optional(),
    out_refund_no: refundNo,
    total_fee: fen,
    refund_fee: fen,
    refund_desc: z.string().max(80).optional(),
    env_id: z.string().optional(),
    function_name: z.string().optional(),
    nonce_str: z.string().max(32).optional(),
  })
  .refine((p) => p.out_trade_no || p.transaction_id, 'out_trade_no or transaction_id is required');

const queryRefundParams = z
  .object({
    sub_mch_id: z.string().min(1),
    out_trade_no: z.string().optional(),
    transaction_id: z.string().optional(),
    out_refund_no: z.string().optional(),
    refund_id: z.string().optional(),
  })
  .refine(
    (p) => p.out_trade_no || p.transaction_id || p.out_refund_no || p.refund_id,
    'one of out_trade_no, transaction_id, out_refund_no, refund_id is required',
  );

/** The fields a refund reply carries. */
function refundFields(order: PayOrder, refund: PayRefund): Record<string, unknown> {
  return {
    transaction_id: order.transactionId,
    out_trade_no: order.outTradeNo,
    out_refund_no: refund.outRefundNo,
    refund_id: refund.refundId,
    refund_fee: refund.refundFee,
    total_fee: order.totalFee,
    cash_fee: order.totalFee,
    cash_refund_fee: refund.refundFee,
    coupon_refund_fee: 0,
    coupon_type_list: [],
    coupon_refund_id_list: [],
    coupon_refund_fee_list: [],
  };
}

/**
 * `cloudPay.refund`: accepts a refund of a paid order (idempotent per `out_refund_no`); it finishes
 * after the processing delay and then calls `function_name` with the refund result.
 */
export function refund(params: Record<string, unknown>, ctx: PayApiContext): Record<string, unknown> {
  const parsed = refundParams.safeParse(params);
  if (!parsed.success) return requestFailure(paramMessage(parsed.error));
  const p = parsed.data;
  const common = { appid: ctx.appId, subMchId: p.sub_mch_id };
  if (p.function_name && p.env_id !== ctx.envId) return requestFailure('env_id must name this environment');
  const order = p.out_trade_no
    ? ctx.state.order(p.sub_mch_id, p.out_trade_no)
    : ctx.state.orderByTransaction(p.sub_mch_id, p.transaction_id ?? '');
  if (!order || order.state === 'NOTPAY' || order.state === 'CLOSED')
    return businessFailure(common, 'ORDERNOTEXIST', '订单不存在或未支付');
  const existing = ctx.state.refund(p.sub_mch_id, p.out_refund_no);
  if (existing) {
    if (existing.refundFee !== p.refund_fee || existing.outTradeNo !== order.outTradeNo)
      return businessFailure(common, 'PARAM_ERROR', '同一退款单号的请求参数与之前不一致');
    return successReply(common, refundFields(order, existing));
  }
  if (p.total_fee !== order.totalFee)
    return businessFailure(common, 'PARAM_ERROR', '订单金额与实际支付金额不一致');
  if (order.refundedFee + p.refund_fee > order.totalFee)
    return businessFailure(common, 'ERROR', '累计退款金额大于支付金额');
  const created: PayRefund = {
    subMchId: p.sub_mch_id,
    outTradeNo: order.outTradeNo,
    outRefundNo: p.out_refund_no,
    refundId: numericId('50', 29),
    totalFee: order.totalFee,
    refundFee: p.refund_fee,
    refundDesc: p.refund_desc,
    envId: p.env_id,
    functionName: p.function_name,
    status: 'PROCESSING',
    createdAt: ctx.now,
  };
  order.refundedFee += p.refund_fee;
  order.state = 'REFUND';
  ctx.state.saveOrder(order);
  ctx.state.saveRefund(created);
  ctx.scheduleRefundCompletion(created.subMchId, created.outRefundNo);
  return successReply(common, refundFields(order, created));
}

/** `cloudPay.queryRefund`: every refund of the order, as parallel `*_list` arrays (CloudBase's shape). */
export function queryRefund(params: Record<string, unknown>, ctx: PayApiContext): Record<string, unknown> {
  const parsed = queryRefundParams.safeParse(params);
  if (!parsed.success) return requestFailure(paramMessage(parsed.error));
  const p = parsed.data;
  const common = { appid: ctx.appId, subMchId: p.sub_mch_id };
  const byRefund = p.out_refund_no
    ? ctx.state.refund(p.sub_mch_id, p.out_refund_no)
    : p.refund_id
      ? [...ctx.state.refunds.values()].find((r) => r.subMchId === p.sub_mch_id && r.refundId === p.refund_id)
      : undefined;
  const order = byRefund
    ? ctx.state.order(p.sub_mch_id, byRefund.outTradeNo)
    : p.out_trade_no
      ? ctx.state.order(p.sub_mch_id, p.out_trade_no)
      : p.transaction_id
        ? ctx.state.orderByTransaction(p.sub_mch_id, p.transaction_id)
        : undefined;
  const refunds = order ? (byRefund ? [byRefund] : ctx.state.refundsOf(order)) : [];
  if (!order || refunds.length === 0) return businessFailure(common, 'REFUNDNOTEXIST', '退款订单查询失败');
  return successReply(common, {
    transaction_id: order.transactionId,
    out_trade_no: order.outTradeNo,
    total_fee: order.totalFee,
    cash_fee: order.totalFee,
    refund_count: refunds.length,
    out_refund_no_list: refunds.map((r) => r.outRefundNo),
    refund_id_list: refunds.map((r) => r.refundId),
    refund_channel: refunds.map(() => 'ORIGINAL'),
    refund_fee_list: refunds.map((r) => r.refundFee),
    settlement_refund_fee_list: refunds.map((r) => r.refundFee),
    refund_status_list: refunds.map((r) => r.status),
    refund_account_list: refunds.map(() => 'REFUND_SOURCE_UNSETTLED_FUNDS'),
    refund_recv_accout_list: refunds.map(() => '支付用户零钱'),
    refund_success_time_list: refunds.map((r) => (r.succeededAt ? chinaTime(r.succeededAt) : '')),
  });
}
