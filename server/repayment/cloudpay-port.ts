import { getCloud } from '../runtime/cloud';

/** What `wx.requestPayment` needs, from unifiedOrder. */
export interface PaymentParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: string;
  paySign: string;
}

/** The order as cloudPay reports it. */
export type QueriedOrder =
  | {
      kind: 'found';
      state: string;
      totalFee: number;
      openid?: string;
      transactionId?: string;
      paidAt?: number;
    }
  | { kind: 'not_found' }
  | { kind: 'ambiguous'; detail: string };

/** The cloudPay calls repayment makes (hosted mode: CloudBase signs them). */
export interface CollectionApi {
  unifiedOrder(order: {
    outTradeNo: string;
    totalFee: number;
    body: string;
    openid: string;
    clientIp: string;
    subMchId: string;
    functionName: string;
  }): Promise<
    { kind: 'created'; payment: PaymentParams } | { kind: 'paid' } | { kind: 'refused'; detail: string }
  >;
  queryOrder(subMchId: string, outTradeNo: string): Promise<QueriedOrder>;
  closeOrder(subMchId: string, outTradeNo: string): Promise<boolean>;
  refund(r: {
    subMchId: string;
    outTradeNo: string;
    outRefundNo: string;
    totalFee: number;
    refundFee: number;
    desc: string;
  }): Promise<'accepted' | 'failed'>;
}

type PayCall = (params: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** The SDK's `cloud.cloudPay`. */
function cloudPay(): Record<string, PayCall> {
  return (getCloud() as unknown as { cloudPay: Record<string, PayCall> }).cloudPay;
}

/** A 32-character nonce (cloudPay requires one per call; it is not a secret). */
function nonceStr(): string {
  return Math.random().toString(36).slice(2, 18).padEnd(16, '0') + Date.now().toString(36);
}

/** The environment this function runs in (cloudPay names it in `env_id`). */
function currentEnvId(): string {
  const ctx = getCloud().getWXContext() as { ENV?: string };
  return ctx.ENV ?? process.env.TCB_ENV ?? '';
}

/** Epoch ms of cloudPay's `time_end` (`yyyyMMddHHmmss`, China time), or undefined. */
export function parseTimeEnd(value: unknown): number | undefined {
  const m = typeof value === 'string' ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value) : null;
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se] = m.map(Number) as number[];
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, se!) - 8 * 3_600_000;
}

/** True when a v2 answer is a business success. */
function succeeded(reply: Record<string, unknown>): boolean {
  return reply.returnCode === 'SUCCESS' && reply.resultCode === 'SUCCESS';
}

/** cloudPay through wx-server-sdk. */
export const sdkCollectionApi: CollectionApi = {
  async unifiedOrder(o) {
    const reply = await cloudPay().unifiedOrder!({
      body: o.body,
      outTradeNo: o.outTradeNo,
      spbillCreateIp: o.clientIp,
      subMchId: o.subMchId,
      totalFee: o.totalFee,
      envId: currentEnvId(),
      functionName: o.functionName,
      nonceStr: nonceStr(),
      tradeType: 'JSAPI',
      subOpenid: o.openid,
    });
    if (succeeded(reply)) return { kind: 'created', payment: reply.payment as PaymentParams };
    const detail = String(reply.errCodeDes ?? reply.returnMsg ?? 'unifiedOrder failed');
    if (detail.includes('已支付')) return { kind: 'paid' };
    return { kind: 'refused', detail };
  },
  async queryOrder(subMchId, outTradeNo) {
    try {
      const reply = await cloudPay().queryOrder!({ subMchId, outTradeNo, nonceStr: nonceStr() });
      if (succeeded(reply)) {
        return {
          kind: 'found',
          state: String(reply.tradeState),
          totalFee: Number(reply.totalFee),
          ...(typeof reply.subOpenid === 'string' ? { openid: reply.subOpenid } : {}),
          ...(typeof reply.transactionId === 'string' ? { transactionId: reply.transactionId } : {}),
          ...(parseTimeEnd(reply.timeEnd) !== undefined ? { paidAt: parseTimeEnd(reply.timeEnd) } : {}),
        };
      }
      if (String(reply.errCodeDes ?? '').includes('不存在')) return { kind: 'not_found' };
      return { kind: 'ambiguous', detail: String(reply.errCodeDes ?? reply.returnMsg ?? '') };
    } catch (error) {
      return { kind: 'ambiguous', detail: (error as Error).message };
    }
  },
  async closeOrder(subMchId, outTradeNo) {
    const reply = await cloudPay().closeOrder!({ subMchId, outTradeNo, nonceStr: nonceStr() });
    return succeeded(reply);
  },
  async refund(r) {
    try {
      const reply = await cloudPay().refund!({
        subMchId: r.subMchId,
        outTradeNo: r.outTradeNo,
        outRefundNo: r.outRefundNo,
        totalFee: r.totalFee,
        refundFee: r.refundFee,
        refundDesc: r.desc,
        nonceStr: nonceStr(),
      });
      return succeeded(reply) ? 'accepted' : 'failed';
    } catch {
      return 'failed';
    }
  },
};
