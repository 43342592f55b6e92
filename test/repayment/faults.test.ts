import type { FunctionsService } from '../../emulator/src/functions';
import type { StoredDoc } from '../../server/storage/doc-store';
import { LEDGER_COLLECTIONS } from '../../server/ledger/append';
import type { Voucher } from '../../server/ledger/voucher';
import { OPERATORS } from '../../server/ops/operator-auth';
import { verifyRepaymentLedger } from '../../server/repayment/reconcile';
import type { PayAnswer } from '../../typings/repayment';
import { chinaTime } from './fixtures';
import {
  callAs,
  disbursedLoan,
  loanOf,
  orderOf,
  payAsBorrower,
  planOf,
  startRepaymentHarness,
  SUB_MCH_ID,
  type RepaymentHarness,
} from './harness';

jest.setTimeout(90_000);

describe('repayment faults and bad input: specific codes, data unchanged, money applied once', () => {
  let h: RepaymentHarness;
  let functions: FunctionsService;
  beforeAll(async () => {
    h = await startRepaymentHarness();
    functions = h.emu.hub.service<FunctionsService>('functions');
    await h.docs.transact(async (tx) => {
      await tx.put(OPERATORS, { _id: 'op-maker', role: 'supervisor', active: true });
      await tx.put(OPERATORS, { _id: 'op-checker', role: 'supervisor', active: true });
    });
  });
  afterAll(async () => {
    await h.stop();
  });
  beforeEach(async () => {
    await h.setClock(chinaTime('2026-03-01T10:00:00'));
    delete h.functionEnv.WXLEND_CRASH_AT;
  });

  async function pay(openid: string, loanId: string, kind: string, requestId: string): Promise<PayAnswer> {
    const answer = await callAs<PayAnswer>(h, openid, 'repayment', {
      action: 'pay',
      loanId,
      kind,
      requestId,
    });
    if (!answer.ok) throw new Error(`pay: ${answer.error.code}`);
    return answer.data;
  }

  /** Delivers an event to the result function as cloudPay would (SOURCE wx_paycallback). */
  async function deliver(event: Record<string, unknown>): Promise<unknown> {
    const run = await functions.invoke({ name: 'repaymentResult', event, source: 'wx_paycallback' });
    return run.error ?? run.result;
  }

  function cloudOrder(outTradeNo: string) {
    return h.cloudpay.orders().find((o) => o.outTradeNo === outTradeNo);
  }

  function paymentEvent(
    outTradeNo: string,
    openid: string,
    totalFee: number,
    transactionId = '4200000000000000000000000001',
  ) {
    return {
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      subMchId: SUB_MCH_ID,
      subOpenid: openid,
      outTradeNo,
      transactionId,
      totalFee,
    };
  }

  async function vouchersOf(loanId: string): Promise<Voucher[]> {
    return h.docs.find<Voucher & StoredDoc>(LEDGER_COLLECTIONS.vouchers, { loanId }, { limit: 100 });
  }

  test('paying twice at once: one order, one charge; a repeated requestId answers the same order', async () => {
    const { loanId, openid } = await disbursedLoan(h, { amount: 20_000 });
    const answers = await Promise.all([
      pay(openid, loanId, 'due', `twice-${loanId}-a`),
      pay(openid, loanId, 'due', `twice-${loanId}-a`),
      pay(openid, loanId, 'due', `twice-${loanId}-b`),
    ]);
    expect(new Set(answers.map((a) => a.outTradeNo)).size).toBe(1);
    expect(h.cloudpay.orders().filter((o) => o.outTradeNo === answers[0]!.outTradeNo)).toHaveLength(1);
    const other = await callAs(h, openid, 'repayment', {
      action: 'pay',
      loanId,
      kind: 'payoff',
      requestId: `twice-${loanId}-c`,
    });
    expect(other).toMatchObject({ ok: false, error: { code: 'PAYMENT_IN_PROGRESS' } });
    expect((await payAsBorrower(h, openid, answers[0]!.payment.package)).status).toBe(200);
    expect((await payAsBorrower(h, openid, answers[1]!.payment.package)).status).toBe(409);
    const again = await callAs(h, openid, 'repayment', {
      action: 'pay',
      loanId,
      kind: 'due',
      requestId: `twice-${loanId}-a`,
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'ORDER_ALREADY_PAID' } });
    expect((await vouchersOf(loanId)).filter((v) => v.kind === 'repayment')).toHaveLength(1);
  });

  test('bad input and another borrower’s loan are refused with specific codes', async () => {
    const { loanId, openid } = await disbursedLoan(h, { amount: 20_000 });
    const before = await planOf(h, loanId);
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ action: 'pay', loanId, kind: 'all', requestId: 'req-12345678' }, openid, 'INVALID_INPUT'],
      [{ action: 'pay', loanId, kind: 'due', requestId: 'x' }, openid, 'INVALID_INPUT'],
      [{ action: 'pay', loanId, kind: 'due', requestId: 'req-12345678', amount: 1 }, openid, 'INVALID_INPUT'],
      [{ action: 'quote', loanId: { $ne: '' }, kind: 'due' }, openid, 'INVALID_INPUT'],
      [{ action: 'schedule', loanId }, 'o-someone-else', 'REPAYMENT_NOT_FOUND'],
      [
        { action: 'pay', loanId, kind: 'due', requestId: 'req-12345678' },
        'o-someone-else',
        'REPAYMENT_NOT_FOUND',
      ],
      [{ action: 'quote', loanId, kind: 'overdue' }, openid, 'NOTHING_OVERDUE'],
      [{ action: 'transfer', loanId }, openid, 'UNKNOWN_ACTION'],
    ];
    for (const [data, who, code] of cases) {
      expect(await callAs(h, who, 'repayment', data)).toMatchObject({ ok: false, error: { code } });
    }
    expect(await planOf(h, loanId)).toEqual(before);
  });

  test('forged, mismatched, unpaid and early results change nothing; a replay is applied once', async () => {
    const { loanId, openid } = await disbursedLoan(h, { amount: 20_000 });
    const order = await pay(openid, loanId, 'due', `forge-${loanId}`);
    const before = await planOf(h, loanId);
    // From a client, not cloudPay.
    const fromClient = await callAs(
      h,
      openid,
      'repaymentResult',
      paymentEvent(order.outTradeNo, openid, order.amount),
    );
    expect(fromClient).toMatchObject({ errcode: 1, errmsg: 'RESULT_NOT_FROM_CLOUDPAY' });
    expect(await deliver(paymentEvent(order.outTradeNo, openid, order.amount + 1))).toMatchObject({
      errmsg: 'RESULT_AMOUNT_MISMATCH',
    });
    expect(await deliver(paymentEvent(order.outTradeNo, 'o-attacker', order.amount))).toMatchObject({
      errmsg: 'RESULT_PAYER_MISMATCH',
    });
    expect(
      await deliver({ ...paymentEvent(order.outTradeNo, openid, order.amount), subMchId: '1999999999' }),
    ).toMatchObject({
      errmsg: 'RESULT_MERCHANT_MISMATCH',
    });
    expect(
      await deliver(paymentEvent('RP000000000000000000000000000000', openid, order.amount)),
    ).toMatchObject({
      errcode: 1,
      errmsg: 'ORDER_UNKNOWN',
    });
    // Right fields, but the order was never paid: cloudPay's own query says so.
    expect(await deliver(paymentEvent(order.outTradeNo, openid, order.amount))).toMatchObject({
      errmsg: 'RESULT_NOT_PAID',
    });
    expect(await planOf(h, loanId)).toEqual(before);
    expect((await orderOf(h, order.outTradeNo))?.state).toBe('created');

    await payAsBorrower(h, openid, order.payment.package);
    const applied = await planOf(h, loanId);
    expect(applied.totalPaid).toBe(order.amount);
    const real = h.cloudpay
      .callbacks()
      .find((c) => c.outTradeNo === order.outTradeNo && c.kind === 'payment')!;
    for (let i = 0; i < 3; i++) expect(await deliver(real.event)).toEqual({ errcode: 0, errmsg: 'OK' });
    const forgedTx = { ...real.event, transactionId: '4200000000000000000000009999' };
    expect(await deliver(forgedTx)).toMatchObject({ errmsg: 'RESULT_TRANSACTION_MISMATCH' });
    expect(await planOf(h, loanId)).toEqual(applied);
    expect((await vouchersOf(loanId)).filter((v) => v.kind === 'repayment')).toHaveLength(1);
  });

  test('the function crashes after the charge, before the write: redelivery or reconciliation applies it once', async () => {
    const { loanId, openid } = await disbursedLoan(h, { amount: 20_000 });
    const order = await pay(openid, loanId, 'due', `crash-${loanId}`);
    h.functionEnv.WXLEND_CRASH_AT = 'repayment.before_apply';
    await payAsBorrower(h, openid, order.payment.package);
    expect((await orderOf(h, order.outTradeNo))?.state).toBe('created');
    const callback = h.cloudpay.callbacks().find((c) => c.outTradeNo === order.outTradeNo)!;
    expect(callback.attempts[0]?.acknowledged).toBe(false);
    // The result is lost (every delivery crashes); the reconciliation timer finds the paid order.
    await h.advance(3 * 60_000);
    // A borrower cannot run the reconciliation (refused before WeChat Pay or the database is touched).
    expect(await callAs(h, openid, 'repaymentReconcile', { Type: 'Timer' })).toMatchObject({
      ok: false,
      error: { code: 'REPAYMENT_TIMER_FORBIDDEN' },
    });
    expect((await orderOf(h, order.outTradeNo))?.state).toBe('created');
    const response = await fetch(`${h.emu.baseUrl}/_admin/timers/fire`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ function: 'repaymentReconcile', trigger: 'repaymentReconcileEvery10Minutes' }),
    });
    expect(await response.json()).toMatchObject({ run: { result: { applied: 1 } } });
    expect((await orderOf(h, order.outTradeNo))?.state).toBe('applied');
    delete h.functionEnv.WXLEND_CRASH_AT;
    await h.advance(60 * 60_000);
    expect(callback.status).toBe('delivered');
    expect((await planOf(h, loanId)).totalPaid).toBe(order.amount);
    expect((await vouchersOf(loanId)).filter((v) => v.kind === 'repayment')).toHaveLength(1);
    expect(await verifyRepaymentLedger(h.deps, loanId)).toEqual([]);
  });

  test('a waived penalty; the overpayment it leaves on an open order is refunded through cloudPay', async () => {
    await h.setClock(chinaTime('2026-01-05T10:00:00'));
    const { loanId, openid } = await disbursedLoan(h, { amount: 20_000 });
    await h.setClock(chinaTime('2026-02-15T10:00:00'));
    const penalty = await callAs<{ breakdown: { penalty: number } }>(h, openid, 'repayment', {
      action: 'quote',
      loanId,
      kind: 'overdue',
    });
    if (!penalty.ok) throw new Error(penalty.error.code);
    const owedPenalty = penalty.data.breakdown.penalty;
    expect(owedPenalty).toBeGreaterThan(0);
    const order = await pay(openid, loanId, 'overdue', `waive-${loanId}`);
    const badReason = await callAs(h, 'op-maker', 'repaymentOps', {
      action: 'repaymentWaivePenalty',
      loanId,
      amount: owedPenalty,
      reasonCode: 'BECAUSE',
      note: '客户困难申请',
    });
    expect(badReason).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const tooMuch = await callAs(h, 'op-maker', 'repaymentOps', {
      action: 'repaymentWaivePenalty',
      loanId,
      amount: owedPenalty + 1,
      reasonCode: 'HARDSHIP',
      note: '客户困难申请',
    });
    expect(tooMuch).toMatchObject({ ok: false, error: { code: 'WAIVE_EXCEEDS_PENALTY' } });
    const fromBorrower = await callAs(h, openid, 'repaymentOps', {
      action: 'repaymentWaivePenalty',
      loanId,
      amount: owedPenalty,
      reasonCode: 'HARDSHIP',
      note: '客户困难申请',
    });
    expect(fromBorrower).toMatchObject({ ok: false, error: { code: 'OPERATOR_REQUIRED' } });
    const waived = await callAs(h, 'op-maker', 'repaymentOps', {
      action: 'repaymentWaivePenalty',
      loanId,
      amount: owedPenalty,
      reasonCode: 'HARDSHIP',
      note: '客户困难申请',
    });
    expect(waived).toMatchObject({ ok: true, data: { status: 'done', waived: owedPenalty } });
    await payAsBorrower(h, openid, order.payment.package);
    const stored = await orderOf(h, order.outTradeNo);
    expect(stored?.allocation).toMatchObject({ penalty: 0, excess: owedPenalty });
    expect(stored?.refund).toMatchObject({ amount: owedPenalty, state: 'accepted' });
    expect(cloudOrder(order.outTradeNo)?.refundedFee).toBe(owedPenalty);
    expect((await planOf(h, loanId)).status).toBe('repaying');
    const kinds = (await vouchersOf(loanId)).map((v) => v.kind).sort();
    expect(kinds).toEqual(['refund', 'repayment']);
    expect(await verifyRepaymentLedger(h.deps, loanId)).toEqual([]);
    const verify = await callAs(h, 'op-checker', 'repaymentOps', { action: 'repaymentVerify', loanId });
    expect(verify).toMatchObject({ ok: true, data: { ok: true, problems: [] } });
  });

  test('a payment arriving for a loan settled meanwhile (offline payoff) is refunded in full', async () => {
    const { loanId, openid } = await disbursedLoan(h, { amount: 20_000 });
    const order = await pay(openid, loanId, 'due', `settled-${loanId}`);
    const payoff = await callAs<{ amount: number }>(h, openid, 'repayment', {
      action: 'quote',
      loanId,
      kind: 'payoff',
    });
    if (!payoff.ok) throw new Error(payoff.error.code);
    const offline = await callAs(h, 'op-maker', 'repaymentOps', {
      action: 'repaymentOffline',
      loanId,
      amount: payoff.data.amount,
      kind: 'payoff',
      evidence: 'BANK-REF-20260301-0001',
      reasonCode: 'BANK_TRANSFER',
      requestId: `offline-${loanId}`,
    });
    expect(offline).toMatchObject({ ok: true, data: { status: 'done' } });
    expect((await loanOf(h, loanId)).status).toBe('settled');
    expect(await callAs(h, openid, 'repayment', { action: 'quote', loanId, kind: 'due' })).toMatchObject({
      ok: false,
      error: { code: 'LOAN_SETTLED' },
    });
    await payAsBorrower(h, openid, order.payment.package);
    expect((await orderOf(h, order.outTradeNo))?.refund).toMatchObject({
      amount: order.amount,
      state: 'accepted',
    });
    expect(cloudOrder(order.outTradeNo)?.refundedFee).toBe(order.amount);
    expect((await planOf(h, loanId)).status).toBe('settled');
  });

  test('write-off above the threshold needs a second, different operator', async () => {
    const { loanId } = await disbursedLoan(h, { amount: 50_000 });
    const first = await callAs<{ status: string; approvalId: string }>(h, 'op-maker', 'repaymentOps', {
      action: 'repaymentWriteOff',
      loanId,
      reasonCode: 'UNCOLLECTABLE',
      note: '多次催收无果',
    });
    if (!first.ok) throw new Error(first.error.code);
    expect(first.data.status).toBe('awaiting_second_approval');
    expect((await loanOf(h, loanId)).status).toBe('repaying');
    const same = await callAs(h, 'op-maker', 'repaymentOps', {
      action: 'repaymentApprove',
      loanId,
      approvalId: first.data.approvalId,
    });
    expect(same).toMatchObject({ ok: false, error: { code: 'SAME_OPERATOR' } });
    const second = await callAs(h, 'op-checker', 'repaymentOps', {
      action: 'repaymentApprove',
      loanId,
      approvalId: first.data.approvalId,
    });
    expect(second).toMatchObject({ ok: true, data: { status: 'done', writtenOffPrincipal: 50_000 } });
    expect((await loanOf(h, loanId)).status).toBe('written_off');
    expect((await vouchersOf(loanId)).map((v) => v.kind)).toEqual(['write_off']);
  });
});
