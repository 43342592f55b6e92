import { interestForDays } from '../../server/repayment/quote';
import type { PayAnswer, RepaymentQuote, ScheduleView } from '../../typings/repayment';
import { chinaTime } from './fixtures';
import {
  callAs,
  disbursedLoan,
  loanOf,
  payAsBorrower,
  planOf,
  startRepaymentHarness,
  type RepaymentHarness,
} from './harness';

jest.setTimeout(60_000);

describe('a missed instalment: overdue → penalty after grace → paid → back to repaying', () => {
  let h: RepaymentHarness;
  beforeAll(async () => {
    h = await startRepaymentHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  /** Fires the daily trigger as the platform would (the emulator also replays missed ticks on clock jumps). */
  async function fireDaily(): Promise<unknown> {
    const response = await fetch(`${h.emu.baseUrl}/_admin/timers/fire`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ function: 'repaymentDaily', trigger: 'overdueDaily' }),
    });
    expect(response.status).toBe(200);
    return response.json();
  }

  test('clock jumps over the due date; each day is accrued once; paying clears the overdue', async () => {
    await h.setClock(chinaTime('2026-01-10T10:00:00'));
    const { loanId, openid } = await disbursedLoan(h, { amount: 300_000, termMonths: 3, aprBps: 1_800 });
    const first = (await planOf(h, loanId)).instalments[0]!;
    expect(first.dueDate).toBe('2026-02-10');

    // Ten days after the due date (the jump replays the timer's recent ticks).
    await h.setClock(chinaTime('2026-02-20T10:00:00'));
    await fireDaily();
    const overdue = await planOf(h, loanId);
    const daily = interestForDays(first.principal, 600, 1);
    // Overdue from 02-11; grace 3 days; penalty for 02-14 … 02-20 = 7 days.
    expect(overdue.status).toBe('overdue');
    expect(overdue.instalments[0]).toMatchObject({ status: 'overdue', penalty: 7 * daily });
    expect(overdue.instalments[1]).toMatchObject({ status: 'scheduled', penalty: 0 });
    const loan = await loanOf(h, loanId);
    expect(loan.status).toBe('overdue');
    expect(loan.timeline.filter((t) => t.status === 'overdue')).toHaveLength(1);

    // A replayed tick on the same day changes nothing.
    await fireDaily();
    expect((await planOf(h, loanId)).instalments).toEqual(overdue.instalments);

    const schedule = await callAs<ScheduleView>(h, openid, 'repayment', { action: 'schedule', loanId });
    expect(schedule).toMatchObject({
      ok: true,
      data: {
        status: 'overdue',
        daysPastDue: 10,
        overdueAmount: first.principal + first.interest + 7 * daily,
      },
    });
    const quote = await callAs<RepaymentQuote>(h, openid, 'repayment', {
      action: 'quote',
      loanId,
      kind: 'overdue',
    });
    expect(quote).toMatchObject({
      ok: true,
      data: { amount: first.principal + first.interest + 7 * daily, breakdown: { penalty: 7 * daily } },
    });
    const pay = await callAs<PayAnswer>(h, openid, 'repayment', {
      action: 'pay',
      loanId,
      kind: 'overdue',
      requestId: `overdue-${loanId}`,
    });
    if (!pay.ok) throw new Error(pay.error.code);
    await payAsBorrower(h, openid, pay.data.payment.package);
    const paid = await planOf(h, loanId);
    expect(paid.status).toBe('repaying');
    expect(paid.instalments[0]).toMatchObject({ status: 'paid', paidPenalty: 7 * daily });
    expect((await loanOf(h, loanId)).status).toBe('repaying');

    // Paid: no more penalty on later days.
    await h.setClock(chinaTime('2026-02-26T10:00:00'));
    await fireDaily();
    expect((await planOf(h, loanId)).instalments[0]!.penalty).toBe(7 * daily);
    expect((await loanOf(h, loanId)).timeline.map((t) => t.status)).toEqual([
      'awaiting_confirmation',
      'disbursed',
      'repaying',
      'overdue',
      'repaying',
    ]);
  });
});
