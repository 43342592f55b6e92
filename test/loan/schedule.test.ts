import fc from 'fast-check';
import { DEFAULT_LOAN_CONFIG } from '../../server/loan/config';
import { quoteLoan, quoteOffer } from '../../server/loan/quote';
import { repaymentSchedule } from '../../server/loan/schedule';
import { DEFAULT_LIMITS } from '../../server/limits/policy';
import { parseAmount } from '../../server/loan/amount';
import type { Fen } from '../../typings/money';

describe('repayment schedule', () => {
  it('sums exactly to principal + interest in integer fen for both methods (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000_000 }),
        fc.integer({ min: 0, max: 2_400 }),
        fc.integer({ min: 1, max: 60 }),
        fc.constantFrom('equal_instalment' as const, 'equal_principal' as const),
        (principal, aprBps, months, method) => {
          const schedule = repaymentSchedule(principal as Fen, aprBps, months, method);
          expect(schedule).toHaveLength(months);
          const sumPrincipal = schedule.reduce((s, i) => s + i.principal, 0);
          const sumInterest = schedule.reduce((s, i) => s + i.interest, 0);
          const sumTotal = schedule.reduce((s, i) => s + i.total, 0);
          expect(sumPrincipal).toBe(principal);
          expect(sumTotal).toBe(principal + sumInterest);
          for (const i of schedule) {
            expect(Number.isSafeInteger(i.principal) && i.principal >= 0).toBe(true);
            expect(Number.isSafeInteger(i.interest) && i.interest >= 0).toBe(true);
            expect(i.total).toBe(i.principal + i.interest);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('equal instalments are level except the last, which absorbs the rounding residue', () => {
    const schedule = repaymentSchedule(50_000 as Fen, 1_800, 12, 'equal_instalment');
    const totals = schedule.map((i) => i.total);
    expect(new Set(totals.slice(0, 11)).size).toBe(1);
    expect(Math.abs((totals[11] ?? 0) - (totals[0] ?? 0))).toBeLessThanOrEqual(12);
    // 500 CNY at 18 % over 12 months: textbook payment 45.84 CNY.
    expect(totals[0]).toBe(4_584);
  });

  it('equal principal repays the same principal each month and falling interest', () => {
    const schedule = repaymentSchedule(30_000 as Fen, 1_200, 3, 'equal_principal');
    expect(schedule.map((i) => i.principal)).toEqual([10_000, 10_000, 10_000]);
    expect(schedule.map((i) => i.interest)).toEqual([300, 200, 100]);
  });
});

describe('quote', () => {
  const offer = quoteOffer(DEFAULT_LOAN_CONFIG, DEFAULT_LIMITS);

  it('never offers more than the payout per-transfer cap', () => {
    expect(offer.maxAmount).toBeLessThanOrEqual(DEFAULT_LIMITS.perTransferCapFen);
    const tighter = quoteOffer(
      { ...DEFAULT_LOAN_CONFIG, maxAmountFen: 10_000_000 as Fen },
      { ...DEFAULT_LIMITS, perTransferCapFen: 20_000 as Fen },
    );
    expect(tighter.maxAmount).toBe(20_000);
    expect(() => quoteLoan(tighter, 20_100 as Fen, 3, 'equal_instalment')).toThrow(
      expect.objectContaining({ code: 'AMOUNT_ABOVE_MAXIMUM' }),
    );
  });

  it('prices with the configured APR and totals', () => {
    const quote = quoteLoan(offer, 50_000 as Fen, 12, 'equal_instalment');
    expect(quote.aprBps).toBe(DEFAULT_LOAN_CONFIG.aprBps);
    expect(quote.totalRepayment).toBe(quote.schedule.reduce((s, i) => s + i.total, 0));
  });

  it.each([
    [9_900, 'AMOUNT_BELOW_MINIMUM'],
    [50_100, 'AMOUNT_ABOVE_MAXIMUM'],
    [10_050, 'AMOUNT_STEP'],
  ])('refuses %p with %s', (amount, code) => {
    expect(() => quoteLoan(offer, amount as Fen, 3, 'equal_instalment')).toThrow(
      expect.objectContaining({ code }),
    );
  });

  it('refuses terms and methods not offered', () => {
    expect(() => quoteLoan(offer, 20_000 as Fen, 7, 'equal_instalment')).toThrow(
      expect.objectContaining({ code: 'TERM_NOT_OFFERED' }),
    );
  });

  it.each([
    0,
    -1,
    -0,
    NaN,
    Infinity,
    0.1 + 0.2,
    1e21,
    Number.MAX_SAFE_INTEGER + 2,
    '100',
    '１００',
    '0x10',
    100.5,
    null,
    {},
  ])('amount %p is AMOUNT_INVALID', (value) => {
    expect(() => parseAmount(value)).toThrow(expect.objectContaining({ code: 'AMOUNT_INVALID' }));
  });
});
