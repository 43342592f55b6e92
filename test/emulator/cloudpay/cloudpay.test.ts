import type { PayCallback } from '../../../emulator/src/cloudpay/notifier';
import type { CloudPayService } from '../../../emulator/src/cloudpay/service';
import { startWithFixtures, type FixtureEmulator } from '../openapi/fixture-emulator';

/** What the checkout fixture answers. */
interface PayAnswer {
  ok: boolean;
  result?: Record<string, unknown> & { payment?: Record<string, string> };
  errCode?: number;
}

describe('cloudPay through the real wx-server-sdk, with result callbacks', () => {
  let emu: FixtureEmulator;
  const subMchId = '1900000109';

  /** Calls `cloud.cloudPay.<method>` from the checkout function as `openid`. */
  async function pay(openid: string, method: string, params: Record<string, unknown>): Promise<PayAnswer> {
    const run = await emu.invokeAsUser('extPayCheckout', openid, { method, params });
    expect(run.error).toBeUndefined();
    return run.result as PayAnswer;
  }

  /** A unifiedOrder whose callback acknowledges only once the clock reaches `ackAfter`. */
  function order(outTradeNo: string, totalFee: number, ackAfter: number): Record<string, unknown> {
    return {
      body: 'wxlend-还款',
      outTradeNo,
      spbillCreateIp: '127.0.0.1',
      subMchId,
      totalFee,
      envId: emu.hub.config.envId,
      functionName: 'extPayCallback',
      nonceStr: 'n0nce',
      attach: JSON.stringify({ ackAfter }),
    };
  }

  function callbacksFor(outTradeNo: string, kind: PayCallback['kind']): PayCallback[] {
    return emu.hub
      .service<CloudPayService>('cloudpay')
      .callbacks()
      .filter((c) => c.outTradeNo === outTradeNo && c.kind === kind);
  }

  beforeAll(async () => {
    emu = await startWithFixtures(['extPayCheckout', 'extPayCallback']);
  });
  afterAll(async () => {
    await emu.stop();
  });

  test('unifiedOrder → payer pays → callback with wx_paycallback, retried until errcode 0', async () => {
    const created = await pay(
      'oPayer1',
      'unifiedOrder',
      order('REPAY0001', 500, emu.hub.clock.now() + 20_000),
    );
    expect(created).toMatchObject({ ok: true });
    expect(created.result).toMatchObject({
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      subMchId,
      errCode: 0,
    });
    const payment = created.result?.payment;
    expect(payment?.package).toMatch(/^prepay_id=wx/);

    const paid = await emu.post<{ errMsg: string }>('/_user/pay', {
      openid: 'oPayer1',
      package: payment?.package,
    });
    expect(paid.body.errMsg).toBe('requestPayment:ok');
    await emu.hub.scheduler.drain();
    const [callback] = callbacksFor('REPAY0001', 'payment');
    expect(callback?.attempts).toHaveLength(1);
    expect(callback?.attempts[0]?.acknowledged).toBe(false);
    expect(callback?.attempts[0]?.outcome).toMatchObject({ errcode: 1, source: 'wx_paycallback' });
    expect(callback?.event).toMatchObject({
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      outTradeNo: 'REPAY0001',
      totalFee: 500,
      subOpenid: 'oPayer1',
      subMchId,
    });
    expect(callback?.event.transactionId).toMatch(/^4200\d{24}$/);
    expect(callback?.event.timeEnd).toMatch(/^\d{14}$/);

    await emu.hub.clock.advance(15_000);
    expect(callback?.attempts).toHaveLength(2);
    expect(callback?.status).toBe('pending');
    await emu.hub.clock.advance(15_000);
    expect(callback?.attempts).toHaveLength(3);
    expect(callback?.attempts[2]).toMatchObject({ acknowledged: true, outcome: { errcode: 0 } });
    expect(callback?.status).toBe('delivered');
    await emu.hub.clock.advance(3_600_000);
    expect(callback?.attempts).toHaveLength(3);

    const queried = await pay('oPayer1', 'queryOrder', { subMchId, outTradeNo: 'REPAY0001', nonceStr: 'x' });
    expect(queried.result).toMatchObject({ tradeState: 'SUCCESS', totalFee: 500, subOpenid: 'oPayer1' });
    const close = await pay('oPayer1', 'closeOrder', { subMchId, outTradeNo: 'REPAY0001', nonceStr: 'x' });
    // The SDK overwrites the v2 `err_code` with its own `errCode: 0`: only `errCodeDes` survives.
    expect(close.result).toMatchObject({
      returnCode: 'SUCCESS',
      resultCode: 'FAIL',
      errCodeDes: '订单已支付，不能发起关单',
    });
  });

  test('refund finishes after processing and calls its function; queryRefund lists it', async () => {
    await pay('oPayer2', 'unifiedOrder', order('REPAY0002', 800, 0));
    const created = await pay('oPayer2', 'queryOrder', { subMchId, outTradeNo: 'REPAY0002' });
    expect(created.result).toMatchObject({ tradeState: 'NOTPAY' });
    const prepay = emu.hub
      .service<CloudPayService>('cloudpay')
      .orders()
      .find((o) => o.outTradeNo === 'REPAY0002');
    expect(
      (await emu.post('/_user/pay', { openid: 'oSomeoneElse', prepayId: prepay?.prepayId })).status,
    ).toBe(403);
    await emu.post('/_user/pay', { openid: 'oPayer2', prepayId: prepay?.prepayId });
    await emu.hub.scheduler.drain();
    expect(callbacksFor('REPAY0002', 'payment')[0]?.status).toBe('delivered');

    const refundParams = {
      subMchId,
      outTradeNo: 'REPAY0002',
      outRefundNo: 'RF0002',
      totalFee: 800,
      refundFee: 300,
      envId: emu.hub.config.envId,
      functionName: 'extPayCallback',
      nonceStr: 'x',
    };
    const refunded = await pay('oPayer2', 'refund', refundParams);
    expect(refunded.result).toMatchObject({ resultCode: 'SUCCESS', refundFee: 300, outRefundNo: 'RF0002' });
    const tooMuch = await pay('oPayer2', 'refund', {
      ...refundParams,
      outRefundNo: 'RF0003',
      refundFee: 600,
    });
    expect(tooMuch.result).toMatchObject({ resultCode: 'FAIL', errCodeDes: '累计退款金额大于支付金额' });
    await emu.hub.clock.advance(10_000);
    const [refundCallback] = callbacksFor('REPAY0002', 'refund');
    expect(refundCallback?.status).toBe('delivered');
    expect(refundCallback?.event).toMatchObject({
      outRefundNo: 'RF0002',
      refundFee: 300,
      refundStatus: 'SUCCESS',
    });
    const listed = await pay('oPayer2', 'queryRefund', { subMchId, outTradeNo: 'REPAY0002' });
    expect(listed.result).toMatchObject({
      refundCount: 1,
      refundStatusList: ['SUCCESS'],
      refundFeeList: [300],
    });
  });

  test('a reused order number with other parameters is refused; missing parameters fail the request', async () => {
    await pay('oPayer3', 'unifiedOrder', order('REPAY0003', 100, 0));
    const same = await pay('oPayer3', 'unifiedOrder', order('REPAY0003', 100, 0));
    expect(same.result).toMatchObject({ resultCode: 'SUCCESS' });
    const changed = await pay('oPayer3', 'unifiedOrder', order('REPAY0003', 101, 0));
    expect(changed.result).toMatchObject({ resultCode: 'FAIL', errCodeDes: '201 商户订单号重复' });
    const broken = await pay('oPayer3', 'unifiedOrder', { ...order('REPAY0004', 1.5, 0) });
    expect(broken.result).toMatchObject({ returnCode: 'FAIL' });
    const missing = await pay('oPayer3', 'queryOrder', { subMchId, outTradeNo: 'NOPE' });
    expect(missing.result).toMatchObject({ resultCode: 'FAIL', errCodeDes: '此交易订单号不存在' });
  });
});
