import type { EmulatorContext, EmulatorService } from '../service';
import { DurableMap } from '../durable-map';
import type { FunctionsApi, InvocationIdentity } from '../functions/api';
import { handlePayAction } from './action';
import { CallbackNotifier, type PayCallback } from './notifier';
import { paymentNotifyEvent, refundNotifyEvent } from './notify-events';
import { registerPayerRoutes } from './payer-routes';
import { PayState, type PayOrder } from './state';
import { numericId } from './v2-format';

/** How long an accepted refund stays PROCESSING before it succeeds (emulator time). */
export const REFUND_PROCESSING_MS = 10_000;

/** Result of the payer finishing `wx.requestPayment`. */
export type PaymentOutcome =
  | { ok: true; answer: Record<string, unknown> }
  | { ok: false; status: number; code: string; message: string };

/** CloudBase's cloud payment capability (`cloud.cloudPay.*`) with result callbacks to functions. */
export class CloudPayService implements EmulatorService {
  readonly name = 'cloudpay';
  private readonly state: PayState;
  private readonly notifier: CallbackNotifier;

  constructor(private readonly ctx: EmulatorContext) {
    this.state = new PayState(ctx.sqlite);
    this.notifier = new CallbackNotifier(
      ctx.scheduler,
      () => ctx.clock.now(),
      () => this.functions(),
      new DurableMap(ctx.sqlite, 'cloudpay.callbacks'),
    );
    ctx.admin.register('wx.wxPayApi', (request) =>
      handlePayAction(request, (appIdOverride) => ({
        state: this.state,
        now: ctx.clock.now(),
        appId: appIdOverride || ctx.config.appId,
        envId: ctx.config.envId,
        caller: this.identify(request.apiToken),
        scheduleRefundCompletion: (subMchId, outRefundNo) =>
          this.scheduleRefundCompletion(subMchId, outRefundNo),
      })),
    );
    registerPayerRoutes(ctx.app, this);
  }

  /** After a restart: pending callbacks and processing refunds pick up where they were. */
  async start(): Promise<void> {
    this.notifier.resume();
    for (const refund of this.state.refunds.values())
      if (refund.status === 'PROCESSING')
        this.scheduleRefundCompletion(refund.subMchId, refund.outRefundNo, refund.createdAt);
  }
  async stop(): Promise<void> {}

  info(): Record<string, unknown> {
    return {
      orders: this.state.orders.size,
      pendingCallbacks: this.notifier.callbacks.filter((c) => c.status === 'pending').length,
    };
  }

  async reset(): Promise<void> {
    this.state.clear();
    this.notifier.clear();
  }

  /** Every order, oldest first. */
  orders(): PayOrder[] {
    return [...this.state.orders.values()];
  }

  /** Every result callback with its delivery attempts. */
  callbacks(): PayCallback[] {
    return this.notifier.callbacks;
  }

  /**
   * The payer finishing `wx.requestPayment` for `prepayId`: on success the order is paid and the
   * payment callback is queued (delivered at the scheduler's next drain, as WeChat does it later).
   */
  completePayment(prepayId: string, openid: string, outcome: 'success' | 'cancel'): PaymentOutcome {
    const order = this.state.orderByPrepayId(prepayId);
    if (!order)
      return { ok: false, status: 404, code: 'PREPAY_NOT_FOUND', message: 'no order has this prepay_id' };
    if (order.payerOpenid !== openid)
      return {
        ok: false,
        status: 403,
        code: 'PAYER_MISMATCH',
        message: 'this order belongs to another payer',
      };
    if (order.state === 'CLOSED')
      return { ok: false, status: 409, code: 'ORDER_CLOSED', message: 'order closed' };
    if (order.state !== 'NOTPAY')
      return { ok: false, status: 409, code: 'ORDER_PAID', message: 'order already paid' };
    if (outcome === 'cancel') return { ok: true, answer: { errMsg: 'requestPayment:fail cancel' } };
    order.state = 'SUCCESS';
    order.paidAt = this.ctx.clock.now();
    order.transactionId = numericId('4200', 28);
    // Durable before the payer's answer and before any callback announces it.
    this.state.saveOrder(order);
    this.notifier.enqueue({
      kind: 'payment',
      functionName: order.functionName,
      outTradeNo: order.outTradeNo,
      event: paymentNotifyEvent(order, this.ctx.config.appId),
    });
    void this.ctx.scheduler.drain();
    return { ok: true, answer: { errMsg: 'requestPayment:ok', transactionId: order.transactionId } };
  }

  private scheduleRefundCompletion(
    subMchId: string,
    outRefundNo: string,
    createdAt = this.ctx.clock.now(),
  ): void {
    this.ctx.scheduler.at(createdAt + REFUND_PROCESSING_MS, `cloudpay refund ${outRefundNo}`, () => {
      const refund = this.state.refund(subMchId, outRefundNo);
      const order = refund ? this.state.order(subMchId, refund.outTradeNo) : undefined;
      if (!refund || !order || refund.status !== 'PROCESSING') return;
      refund.status = 'SUCCESS';
      refund.succeededAt = this.ctx.clock.now();
      this.state.saveRefund(refund);
      if (!refund.functionName) return;
      this.notifier.enqueue({
        kind: 'refund',
        functionName: refund.functionName,
        outTradeNo: order.outTradeNo,
        outRefundNo,
        event: refundNotifyEvent(order, refund, this.ctx.config.appId),
      });
    });
  }

  /** The invocation behind an API token; undefined for calls made outside any function. */
  private identify(apiToken: string | undefined): InvocationIdentity | undefined {
    try {
      return this.functions().identify(apiToken);
    } catch {
      return undefined;
    }
  }

  private functions(): FunctionsApi {
    return this.ctx.service<EmulatorService & FunctionsApi>('functions');
  }
}

/** Factory for services.ts. */
export function cloudPayService(ctx: EmulatorContext): EmulatorService {
  return new CloudPayService(ctx);
}
