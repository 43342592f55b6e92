import type Database from 'better-sqlite3';
import { DurableMap } from '../durable-map';

/** WeChat Pay v2 `trade_state` values the emulator produces. */
export type TradeState = 'NOTPAY' | 'SUCCESS' | 'REFUND' | 'CLOSED';

/** One order created by `cloudPay.unifiedOrder`. */
export interface PayOrder {
  subMchId: string;
  outTradeNo: string;
  body: string;
  attach?: string;
  /** Integer fen. */
  totalFee: number;
  feeType: string;
  spbillCreateIp: string;
  tradeType: string;
  /** The payer: `sub_openid`/`openid` parameter, else the calling invocation's OPENID. */
  payerOpenid: string;
  envId: string;
  functionName: string;
  prepayId: string;
  state: TradeState;
  createdAt: number;
  transactionId?: string;
  /** Emulator time the payer paid. */
  paidAt?: number;
  /** Sum of accepted refunds, integer fen. */
  refundedFee: number;
}

/** `refund_status` values. */
export type RefundStatus = 'PROCESSING' | 'SUCCESS';

/** One refund created by `cloudPay.refund`. */
export interface PayRefund {
  subMchId: string;
  outTradeNo: string;
  outRefundNo: string;
  refundId: string;
  totalFee: number;
  refundFee: number;
  refundDesc?: string;
  envId?: string;
  functionName?: string;
  status: RefundStatus;
  createdAt: number;
  succeededAt?: number;
}

/**
 * Orders and refunds by merchant-scoped number (numbers are unique per sub-merchant), kept in the data
 * folder: WeChat's state is durable before it answers or notifies, so every change is saved again.
 */
export class PayState {
  readonly orders: Map<string, PayOrder>;
  readonly refunds: Map<string, PayRefund>;

  constructor(db: Database.Database) {
    this.orders = new DurableMap(db, 'cloudpay.orders');
    this.refunds = new DurableMap(db, 'cloudpay.refunds');
  }

  /** The order `outTradeNo` of `subMchId`. */
  order(subMchId: string, outTradeNo: string): PayOrder | undefined {
    return this.orders.get(`${subMchId}\u0000${outTradeNo}`);
  }

  /** The order with `transactionId` of `subMchId`. */
  orderByTransaction(subMchId: string, transactionId: string): PayOrder | undefined {
    return [...this.orders.values()].find(
      (o) => o.subMchId === subMchId && o.transactionId === transactionId,
    );
  }

  /** The order holding `prepayId`. */
  orderByPrepayId(prepayId: string): PayOrder | undefined {
    return [...this.orders.values()].find((o) => o.prepayId === prepayId);
  }

  /** Stores a new or changed order. */
  saveOrder(order: PayOrder): void {
    this.orders.set(`${order.subMchId}\u0000${order.outTradeNo}`, order);
  }

  /** The refund `outRefundNo` of `subMchId`. */
  refund(subMchId: string, outRefundNo: string): PayRefund | undefined {
    return this.refunds.get(`${subMchId}\u0000${outRefundNo}`);
  }

  /** Every refund of one order, oldest first. */
  refundsOf(order: PayOrder): PayRefund[] {
    return [...this.refunds.values()].filter(
      (r) => r.subMchId === order.subMchId && r.outTradeNo === order.outTradeNo,
    );
  }

  /** Stores a new or changed refund. */
  saveRefund(refund: PayRefund): void {
    this.refunds.set(`${refund.subMchId}\u0000${refund.outRefundNo}`, refund);
  }

  /** Drops every order and refund. */
  clear(): void {
    this.orders.clear();
    this.refunds.clear();
  }
}
