import { createHash } from 'node:crypto';
import type { PayOrder, PayRefund } from './state';
import { chinaTime, compactChinaTime, nonce, PROVIDER_MCH_ID } from './v2-format';

/** The provider-level openid WeChat reports next to `subOpenid` (stable per payer). */
function providerOpenid(openid: string): string {
  return `oProv${createHash('sha256').update(openid).digest('base64url').slice(0, 23)}`;
}

/** The payment result event CloudBase hands the `function_name` of unifiedOrder (camelCased v2 notify). */
export function paymentNotifyEvent(order: PayOrder, appId: string): Record<string, unknown> {
  return {
    returnCode: 'SUCCESS',
    appid: appId,
    mchId: PROVIDER_MCH_ID,
    subAppid: appId,
    subMchId: order.subMchId,
    nonceStr: nonce(),
    resultCode: 'SUCCESS',
    openid: providerOpenid(order.payerOpenid),
    isSubscribe: 'N',
    subOpenid: order.payerOpenid,
    subIsSubscribe: 'N',
    tradeType: order.tradeType,
    bankType: 'OTHERS',
    totalFee: order.totalFee,
    feeType: order.feeType,
    cashFee: order.totalFee,
    transactionId: order.transactionId,
    outTradeNo: order.outTradeNo,
    timeEnd: compactChinaTime(order.paidAt ?? order.createdAt),
    ...(order.attach !== undefined ? { attach: order.attach } : {}),
  };
}

/** The refund result event (v2 refund notify, `req_info` already decrypted, camelCased). */
export function refundNotifyEvent(
  order: PayOrder,
  refund: PayRefund,
  appId: string,
): Record<string, unknown> {
  return {
    returnCode: 'SUCCESS',
    appid: appId,
    mchId: PROVIDER_MCH_ID,
    subAppid: appId,
    subMchId: refund.subMchId,
    nonceStr: nonce(),
    transactionId: order.transactionId,
    outTradeNo: order.outTradeNo,
    refundId: refund.refundId,
    outRefundNo: refund.outRefundNo,
    totalFee: order.totalFee,
    refundFee: refund.refundFee,
    settlementRefundFee: refund.refundFee,
    refundStatus: refund.status,
    successTime: refund.succeededAt ? chinaTime(refund.succeededAt) : '',
    refundRecvAccout: '支付用户零钱',
    refundAccount: 'REFUND_SOURCE_UNSETTLED_FUNDS',
    refundRequestSource: 'API',
  };
}
