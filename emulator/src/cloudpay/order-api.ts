import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { PayApiContext } from './context';
import type { PayOrder } from './state';
import { businessFailure, compactChinaTime, nonce, requestFailure, successReply } from './v2-format';

/** Integer fen > 0 (WeChat Pay amounts are integers). */
const fen = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const tradeNo = z.string().regex(/^[A-Za-z0-9_\-|*]{1,32}$/, '≤ 32 letters, digits, _-|*');

const unifiedOrderParams = z.object({
  body: z.string().min(1).max(128),
  out_trade_no: tradeNo,
  spbill_create_ip: z.string().min(1).max(64),
  sub_mch_id: z.string().min(1).max(32),
  total_fee: fen,
  env_id: z.string().min(1),
  function_name: z.string().min(1),
  nonce_str: z.string().max(32).optional(),
  trade_type: z.literal('JSAPI').default('JSAPI'),
  fee_type: z.literal('CNY').default('CNY'),
  attach: z.string().max(127).optional(),
  sub_openid: z.string().optional(),
  openid: z.string().optional(),
});

const orderRef = z
  .object({
    sub_mch_id: z.string().min(1),
    out_trade_no: tradeNo.optional(),
    transaction_id: z.string().optional(),
  })
  .refine((p) => p.out_trade_no || p.transaction_id, 'out_trade_no or transaction_id is required');

/** First zod issue as a `return_msg`. */
export function paramMessage(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'params'}: ${issue.message}` : 'invalid parameters';
}

/** `wx.requestPayment` arguments for a prepay id. */
function paymentFor(appId: string, prepayId: string, now: number): Record<string, string> {
  return {
    appId,
    timeStamp: String(Math.floor(now / 1000)),
    nonceStr: nonce(),
    package: `prepay_id=${prepayId}`,
    signType: 'MD5',
    paySign: randomBytes(16).toString('hex').toUpperCase(),
  };
}

/** True when a repeated unifiedOrder carries the same parameters as the stored order. */
function sameOrder(order: PayOrder, p: z.infer<typeof unifiedOrderParams>, payer: string): boolean {
  return (
    order.totalFee === p.total_fee &&
    order.body === p.body &&
    order.functionName === p.function_name &&
    order.payerOpenid === payer &&
    order.attach === p.attach
  );
}

/** `cloudPay.unifiedOrder`: creates (or, with identical parameters, repeats) an order. */
export function unifiedOrder(params: Record<string, unknown>, ctx: PayApiContext): Record<string, unknown> {
  const parsed = unifiedOrderParams.safeParse(params);
  if (!parsed.success) return requestFailure(paramMessage(parsed.error));
  const p = parsed.data;
  const common = { appid: ctx.appId, subMchId: p.sub_mch_id };
  if (p.env_id !== ctx.envId) return requestFailure(`env_id ${p.env_id} is not this environment`);
  const payer = p.sub_openid ?? p.openid ?? ctx.caller?.openid;
  if (!payer) return requestFailure('no payer: call from a user-triggered function or pass sub_openid');
  const existing = ctx.state.order(p.sub_mch_id, p.out_trade_no);
  if (existing) {
    if (existing.state === 'SUCCESS' || existing.state === 'REFUND')
      return businessFailure(common, 'ORDERPAID', '该订单已支付');
    if (existing.state === 'CLOSED') return businessFailure(common, 'ORDERCLOSED', '该订单已关闭');
    if (!sameOrder(existing, p, payer))
      return businessFailure(common, 'INVALID_REQUEST', '201 商户订单号重复');
    return successReply(common, {
      trade_type: existing.tradeType,
      prepay_id: existing.prepayId,
      payment: paymentFor(ctx.appId, existing.prepayId, ctx.now),
    });
  }
  const order: PayOrder = {
    subMchId: p.sub_mch_id,
    outTradeNo: p.out_trade_no,
    body: p.body,
    attach: p.attach,
    totalFee: p.total_fee,
    feeType: p.fee_type,
    spbillCreateIp: p.spbill_create_ip,
    tradeType: p.trade_type,
    payerOpenid: payer,
    envId: p.env_id,
    functionName: p.function_name,
    prepayId: `wx${compactChinaTime(ctx.now)}${randomBytes(10).toString('hex')}`,
    state: 'NOTPAY',
    createdAt: ctx.now,
    refundedFee: 0,
  };
  ctx.state.saveOrder(order);
  return successReply(common, {
    trade_type: order.tradeType,
    prepay_id: order.prepayId,
    payment: paymentFor(ctx.appId, order.prepayId, ctx.now),
  });
}

/** `trade_state_desc` for each state, as WeChat words them. */
const STATE_DESC: Record<PayOrder['state'], string> = {
  NOTPAY: '订单未支付',
  SUCCESS: '支付成功',
  REFUND: '订单发生过退款，退款详情请查询退款单',
  CLOSED: '订单已关闭',
};

/** `cloudPay.queryOrder` by `out_trade_no` or `transaction_id`. */
export function queryOrder(params: Record<string, unknown>, ctx: PayApiContext): Record<string, unknown> {
  const parsed = orderRef.safeParse(params);
  if (!parsed.success) return requestFailure(paramMessage(parsed.error));
  const p = parsed.data;
  const common = { appid: ctx.appId, subMchId: p.sub_mch_id };
  const order = p.out_trade_no
    ? ctx.state.order(p.sub_mch_id, p.out_trade_no)
    : ctx.state.orderByTransaction(p.sub_mch_id, p.transaction_id ?? '');
  if (!order) return businessFailure(common, 'ORDERNOTEXIST', '此交易订单号不存在');
  const paid = order.state === 'SUCCESS' || order.state === 'REFUND';
  return successReply(common, {
    out_trade_no: order.outTradeNo,
    trade_state: order.state,
    trade_state_desc: STATE_DESC[order.state],
    total_fee: order.totalFee,
    fee_type: order.feeType,
    ...(order.attach !== undefined ? { attach: order.attach } : {}),
    ...(paid
      ? {
          trade_type: order.tradeType,
          sub_openid: order.payerOpenid,
          is_subscribe: 'N',
          bank_type: 'OTHERS',
          cash_fee: order.totalFee,
          transaction_id: order.transactionId,
          time_end: compactChinaTime(order.paidAt ?? order.createdAt),
        }
      : {}),
  });
}

/** `cloudPay.closeOrder`: closes an unpaid order; a paid one answers ORDERPAID. */
export function closeOrder(params: Record<string, unknown>, ctx: PayApiContext): Record<string, unknown> {
  const parsed = orderRef.safeParse(params);
  if (!parsed.success) return requestFailure(paramMessage(parsed.error));
  const p = parsed.data;
  const common = { appid: ctx.appId, subMchId: p.sub_mch_id };
  const order = ctx.state.order(p.sub_mch_id, p.out_trade_no ?? '');
  if (!order) return businessFailure(common, 'ORDERNOTEXIST', '此交易订单号不存在');
  if (order.state === 'SUCCESS' || order.state === 'REFUND')
    return businessFailure(common, 'ORDERPAID', '订单已支付，不能发起关单');
  order.state = 'CLOSED';
  ctx.state.saveOrder(order);
  return successReply(common, {});
}
