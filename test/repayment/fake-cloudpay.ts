import type { CollectionApi, PaymentParams } from '../../server/repayment/cloudpay-port';

/** One order as the in-memory cloudPay double keeps it. */
export interface FakeOrder {
  outTradeNo: string;
  totalFee: number;
  openid: string;
  state: 'NOTPAY' | 'SUCCESS' | 'REFUND' | 'CLOSED';
  transactionId?: string;
  refunded: number;
  refunds: Map<string, number>;
}

/** An in-memory cloudPay for the pure model test (the emulator tests use the real SDK and local cloudPay). */
export class FakeCloudPay implements CollectionApi {
  readonly orders = new Map<string, FakeOrder>();
  private seq = 0;

  async unifiedOrder(o: Parameters<CollectionApi['unifiedOrder']>[0]) {
    const existing = this.orders.get(o.outTradeNo);
    if (existing && existing.state !== 'NOTPAY') return { kind: 'paid' as const };
    if (!existing)
      this.orders.set(o.outTradeNo, {
        outTradeNo: o.outTradeNo,
        totalFee: o.totalFee,
        openid: o.openid,
        state: 'NOTPAY',
        refunded: 0,
        refunds: new Map(),
      });
    const payment: PaymentParams = {
      timeStamp: '0',
      nonceStr: 'n',
      package: `prepay_id=${o.outTradeNo}`,
      signType: 'MD5',
      paySign: 'X',
    };
    return { kind: 'created' as const, payment };
  }

  async queryOrder(_subMchId: string, outTradeNo: string) {
    const order = this.orders.get(outTradeNo);
    if (!order) return { kind: 'not_found' as const };
    return {
      kind: 'found' as const,
      state: order.state,
      totalFee: order.totalFee,
      openid: order.openid,
      ...(order.transactionId ? { transactionId: order.transactionId } : {}),
    };
  }

  async closeOrder(_subMchId: string, outTradeNo: string) {
    const order = this.orders.get(outTradeNo);
    if (!order || order.state !== 'NOTPAY') return false;
    order.state = 'CLOSED';
    return true;
  }

  async refund(r: Parameters<CollectionApi['refund']>[0]) {
    const order = this.orders.get(r.outTradeNo);
    if (!order || order.state === 'NOTPAY' || order.state === 'CLOSED') return 'failed' as const;
    if (order.refunds.has(r.outRefundNo)) return 'accepted' as const;
    if (order.refunded + r.refundFee > order.totalFee) return 'failed' as const;
    order.refunds.set(r.outRefundNo, r.refundFee);
    order.refunded += r.refundFee;
    order.state = 'REFUND';
    return 'accepted' as const;
  }

  /** The payer paying an order; answers the result event cloudPay would deliver. */
  pay(outTradeNo: string, subMchId: string): Record<string, unknown> | undefined {
    const order = this.orders.get(outTradeNo);
    if (!order || order.state !== 'NOTPAY') return undefined;
    order.state = 'SUCCESS';
    order.transactionId = `4200${String(++this.seq).padStart(24, '0')}`;
    return {
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      subMchId,
      subOpenid: order.openid,
      outTradeNo,
      transactionId: order.transactionId,
      totalFee: order.totalFee,
    };
  }
}
