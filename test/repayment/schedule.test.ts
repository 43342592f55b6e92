import { contractPlan } from '../../server/repayment/contract-schedule';
import { accrueThrough } from '../../server/repayment/accrue';
import { allocatePayment } from '../../server/repayment/allocate';
import { checkComprehensiveCost, repaymentConfigFromEnv } from '../../server/repayment/config';
import { dueDateOf } from '../../server/repayment/due-dates';
import { interestForDays, quoteRepayment } from '../../server/repayment/quote';
import { repaymentSchedule } from '../../server/loan/schedule';
import { chinaTime, landingApplication, TEST_REPAYMENT_CONFIG } from './fixtures';

describe('the contract schedule fixed at disbursement', () => {
  test('due dates keep the disbursement day, or the month end when the month is shorter', () => {
    const jan31 = { year: 2026, month: 1, day: 31 };
    expect([1, 2, 3, 12, 13].map((n) => dueDateOf(jan31, n))).toEqual([
      { year: 2026, month: 2, day: 28 },
      { year: 2026, month: 3, day: 31 },
      { year: 2026, month: 4, day: 30 },
      { year: 2027, month: 1, day: 31 },
      { year: 2027, month: 2, day: 28 },
    ]);
    expect(dueDateOf({ year: 2027, month: 12, day: 29 }, 2)).toEqual({ year: 2028, month: 2, day: 29 });
  });

  test('the China calendar day decides: 23:30 UTC is already the next day in Beijing', () => {
    const app = landingApplication('L1', 'o1', 0);
    const plan = contractPlan(app, Date.parse('2026-01-30T16:30:00Z'), TEST_REPAYMENT_CONFIG);
    expect(plan.disbursedOn).toBe('2026-01-31');
    expect(plan.instalments.map((i) => i.dueDate)).toEqual(['2026-02-28', '2026-03-31', '2026-04-30']);
  });

  test('instalments are the quote’s own figures to the fen, and the terms are frozen into the plan', () => {
    for (const method of ['equal_instalment', 'equal_principal'] as const) {
      const app = landingApplication('L2', 'o2', 0, {
        amount: 123_400,
        termMonths: 12,
        aprBps: 1_750,
        method,
      });
      const plan = contractPlan(app, chinaTime('2026-03-15T10:00:00'), TEST_REPAYMENT_CONFIG);
      const quoted = repaymentSchedule(app.amount, app.aprBps, 12, method);
      expect(plan.instalments.map((i) => [i.principal, i.interest])).toEqual(
        quoted.map((q) => [q.principal, q.interest]),
      );
      expect(plan.instalments.reduce((s, i) => s + i.principal, 0)).toBe(123_400);
      expect(plan.terms).toEqual({
        aprBps: 1_750,
        penaltyAprBps: 600,
        graceDays: 3,
        feeAprBps: 0,
        allocation: ['penalty', 'interest', 'principal'],
        dayBasis: 365,
      });
      expect(plan.contract).toMatchObject({ version: '2026-01', textSha256: 'a'.repeat(64) });
    }
  });

  test('the comprehensive annualised cost above 24 % is refused at start', () => {
    expect(() => checkComprehensiveCost(1_800, { ...TEST_REPAYMENT_CONFIG, penaltyAprBps: 700 })).toThrow(
      expect.objectContaining({ code: 'COMPREHENSIVE_COST_TOO_HIGH' }),
    );
    expect(() =>
      repaymentConfigFromEnv(1_800, { WXLEND_REPAYMENT_CONFIG: JSON.stringify({ feeAprBps: 100 }) }),
    ).toThrow(expect.objectContaining({ code: 'COMPREHENSIVE_COST_TOO_HIGH' }));
    expect(repaymentConfigFromEnv(1_800, {}).penaltyAprBps).toBe(600);
  });
});

describe('quotes, allocation and overdue accrual (pure)', () => {
  const at = chinaTime('2026-01-10T10:00:00');
  const plan = contractPlan(landingApplication('L3', 'o3', at), at, TEST_REPAYMENT_CONFIG);

  test('payoff mid-term charges the current period interest by actual days, to the fen', () => {
    // Disbursed 2026-01-10, paid off 2026-01-25: 15 days on 300,000 fen at 18 %.
    const quote = quoteRepayment(plan, 'payoff', '2026-01-25');
    expect(interestForDays(300_000, 1_800, 15)).toBe(2_219); // 300000 × 0.18 × 15 / 365 = 2219.18
    expect(quote).toMatchObject({
      amount: 302_219,
      interestDays: 15,
      breakdown: { principal: 300_000, interest: 2_219, penalty: 0 },
    });
    const paid = allocatePayment(
      plan,
      quote.amount,
      '2026-01-25',
      { payoff: true, periods: quote.periods },
      at,
    );
    expect(paid.plan.status).toBe('settled');
    expect(paid.allocation).toEqual({ principal: 300_000, interest: 2_219, penalty: 0, excess: 0 });
  });

  test('a missed instalment becomes overdue the next day; penalty starts after the grace days', () => {
    const first = plan.instalments[0]!;
    expect(first.dueDate).toBe('2026-02-10');
    const onDue = accrueThrough(plan, '2026-02-10', at)!;
    expect(onDue.status).toBe('repaying');
    const dayOne = accrueThrough(onDue, '2026-02-11', at)!;
    expect(dayOne.status).toBe('overdue');
    expect(dayOne.instalments[0]!.penalty).toBe(0);
    const dayFive = accrueThrough(dayOne, '2026-02-15', at)!;
    // Days 4 and 5 past due bear penalty on the unpaid principal: 2 × round(p × 6 % / 365).
    const daily = interestForDays(first.principal, 600, 1);
    expect(dayFive.instalments[0]!.penalty).toBe(2 * daily);
    expect(accrueThrough(dayFive, '2026-02-15', at)).toBeUndefined();
    const jumped = accrueThrough(plan, '2026-02-15', at)!;
    expect(jumped.instalments).toEqual(dayFive.instalments);
  });
});
