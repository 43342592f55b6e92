import type { StoredDoc } from '../../server/storage/doc-store';
import { verifyAudit } from '../../server/audit';
import { LEDGER_COLLECTIONS } from '../../server/ledger/append';
import { verifyLedger } from '../../server/ledger/read';
import type { Voucher } from '../../server/ledger/voucher';
import type { PayAnswer, RepaymentQuote, ScheduleView } from '../../typings/repayment';
import { chinaTime } from './fixtures';
import {
  callAs,
  disbursedLoan,
  loanOf,
  orderOf,
  payAsBorrower,
  planOf,
  startRepaymentHarness,
  type RepaymentHarness,
} from './harness';

jest.setTimeout(60_000);

describe('repayment through the real SDK and the client gateway', () => {
  let h: RepaymentHarness;
  beforeAll(async () => {
    h = await startRepaymentHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  /** Quote, pay and complete one repayment of `kind` as the borrower; answers the quote. */
  async function repay(
    loanId: string,
    openid: string,
    kind: string,
    requestId: string,
  ): Promise<RepaymentQuote> {
    const quote = await callAs<RepaymentQuote>(h, openid, 'repayment', { action: 'quote', loanId, kind });
    if (!quote.ok) throw new Error(`quote: ${quote.error.code}`);
    const pay = await callAs<PayAnswer>(h, openid, 'repayment', { action: 'pay', loanId, kind, requestId });
    if (!pay.ok) throw new Error(`pay: ${pay.error.code} ${pay.error.message}`);
    expect(pay.data.amount).toBe(quote.data.amount);
    expect(pay.data.payment.package).toMatch(/^prepay_id=/);
    const paid = await payAsBorrower(h, openid, pay.data.payment.package);
    expect(paid.status).toBe(200);
    expect((await orderOf(h, pay.data.outTradeNo))?.state).toBe('applied');
    return quote.data;
  }

  test('full life: disburse on 31 Jan → three on-time instalments (month-end dates) → settled', async () => {
    await h.setClock(chinaTime('2026-01-31T10:00:00'));
    const { loanId, openid } = await disbursedLoan(h, { amount: 300_000, termMonths: 3, aprBps: 1_800 });
    expect((await loanOf(h, loanId)).status).toBe('repaying');
    const schedule = await callAs<ScheduleView>(h, openid, 'repayment', { action: 'schedule', loanId });
    if (!schedule.ok) throw new Error(schedule.error.code);
    expect(schedule.data.instalments.map((i) => i.dueDate)).toEqual([
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
    ]);
    expect(schedule.data.next).toMatchObject({ period: 1, dueDate: '2026-02-28' });
    const totals = schedule.data.instalments.map((i) => i.principal + i.interest);

    for (const [index, day] of ['2026-02-27', '2026-03-31', '2026-04-29'].entries()) {
      await h.setClock(chinaTime(`${day}T12:00:00`));
      const quote = await repay(loanId, openid, 'due', `life-${loanId}-${index}`);
      expect(quote.amount).toBe(totals[index]);
    }
    const plan = await planOf(h, loanId);
    expect(plan.status).toBe('settled');
    expect(plan.totalPaid).toBe(totals.reduce((a, b) => a + b, 0));
    const app = await loanOf(h, loanId);
    expect(app.status).toBe('settled');
    expect(app.timeline.map((t) => t.status)).toEqual([
      'awaiting_confirmation',
      'disbursed',
      'repaying',
      'settled',
    ]);
    const history = await callAs<{ payments: Array<{ status: string; receipt?: { principal: number } }> }>(
      h,
      openid,
      'repayment',
      { action: 'history', loanId },
    );
    expect(history.ok && history.data.payments.map((p) => p.status)).toEqual([
      'applied',
      'applied',
      'applied',
    ]);
    const vouchers = await h.docs.find<Voucher & StoredDoc>(
      LEDGER_COLLECTIONS.vouchers,
      { loanId },
      { limit: 100 },
    );
    expect(vouchers.map((v) => v.kind)).toEqual(['repayment', 'repayment', 'repayment']);
    const credited = vouchers
      .flatMap((v) => v.lines)
      .filter((l) => l.account === 'loans_receivable')
      .reduce((s, l) => s + l.credit, 0);
    expect(credited).toBe(300_000);
    expect(await verifyLedger(h.docs)).toEqual([]);
    expect(await verifyAudit(h.docs)).toMatchObject({ ok: true });
    // Settled: nothing more to quote or pay.
    const after = await callAs(h, openid, 'repayment', { action: 'quote', loanId, kind: 'due' });
    expect(after).toMatchObject({ ok: false, error: { code: 'LOAN_SETTLED' } });
  });

  test('early settlement mid-term: interest by actual days, to the fen', async () => {
    await h.setClock(chinaTime('2026-05-10T09:00:00'));
    const { loanId, openid } = await disbursedLoan(h, { amount: 500_000, termMonths: 6, aprBps: 1_800 });
    await h.setClock(chinaTime('2026-06-10T12:00:00'));
    await repay(loanId, openid, 'due', `early-${loanId}-1`);
    const afterFirst = await planOf(h, loanId);
    const outstanding = 500_000 - afterFirst.instalments[0]!.principal;
    // 2026-06-10 → 2026-07-02: 22 days of interest on the outstanding principal at 18 % / 365.
    await h.setClock(chinaTime('2026-07-02T15:00:00'));
    const expected = Math.floor((outstanding * 1_800 * 22 * 2 + 3_650_000) / 7_300_000);
    const quote = await repay(loanId, openid, 'payoff', `early-${loanId}-2`);
    expect(quote).toMatchObject({
      interestDays: 22,
      breakdown: { principal: outstanding, interest: expected, penalty: 0 },
    });
    expect(quote.amount).toBe(outstanding + expected);
    const plan = await planOf(h, loanId);
    expect(plan.status).toBe('settled');
    expect((await loanOf(h, loanId)).status).toBe('settled');
  });
});
