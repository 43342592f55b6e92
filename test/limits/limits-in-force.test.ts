import fc from 'fast-check';
import { quoteOffer } from '../../server/loan/quote';
import { loanProductConfig } from '../../server/loan/config';
import {
  DEFAULT_LIMITS,
  limitsInForce,
  limitsInForceFromEnv,
  limitsPolicy,
} from '../../server/limits/policy';
import { merchantQualification } from '../../server/merchant/profile';
import { QUALIFICATIONS, type MerchantSubjectType } from '../../server/merchant/qualification';
import { checkLimits } from '../../server/payout/limits';
import type { Fen } from '../../typings/money';

/**
 * One limits policy for quote, apply and payout: for every merchant subject type, the largest amount
 * the quote offers is one the payout accepts (with nothing paid out yet that day), and nothing
 * above it is offered.
 */

const NOTHING_YET = { merchantAmount: 0, merchantCalls: 0, borrowerAmount: 0 };
const SUBJECTS = Object.keys(QUALIFICATIONS) as MerchantSubjectType[];

describe.each(SUBJECTS)('merchant subject type %s', (subjectType) => {
  const env = { WXLEND_MERCHANT_PROFILE: JSON.stringify({ subjectType }) };

  test('quote and payout read the same limits in force from the environment', () => {
    expect(merchantQualification(env)).toBe(QUALIFICATIONS[subjectType]);
    expect(limitsInForceFromEnv(env)).toEqual(limitsInForce(limitsPolicy(env), QUALIFICATIONS[subjectType]));
  });

  test('the quote never offers an amount the payout refuses (any policy)', () => {
    fc.assert(
      fc.property(
        fc.record({
          minAmountFen: fc.integer({ min: 10, max: 50_000 }),
          perTransferCapFen: fc.integer({ min: 1, max: 2_000_000 }),
          perBorrowerDailyCapFen: fc.integer({ min: 1, max: 2_000_000 }),
          perMerchantDailyCapFen: fc.integer({ min: 1, max: 200_000_000 }),
        }),
        (policy) => {
          const limits = limitsInForceFromEnv({ ...env, WXLEND_LIMITS: JSON.stringify(policy) });
          const offer = quoteOffer(loanProductConfig({}), limits);
          const step = offer.amountStep;
          // Offered amounts on the step grid across the whole range (about 20 of them).
          const stride = Math.max(step, Math.ceil((offer.maxAmount - offer.minAmount) / 20 / step) * step);
          for (let amount: number = offer.minAmount; amount <= offer.maxAmount; amount += stride) {
            if (amount % step !== 0) continue;
            expect(checkLimits(amount as Fen, NOTHING_YET, limits)).toBeUndefined();
          }
          if (offer.maxAmount >= offer.minAmount)
            expect(checkLimits(offer.maxAmount, NOTHING_YET, limits)).toBeUndefined();
        },
      ),
      { numRuns: 200 },
    );
  });

  test('the default policy offers only what this subject type can pay', () => {
    const limits = limitsInForce(DEFAULT_LIMITS, QUALIFICATIONS[subjectType]);
    const offer = quoteOffer(loanProductConfig({}), limits);
    if (!QUALIFICATIONS[subjectType].merchantTransfer) {
      // No merchant transfer at all: nothing can be offered.
      expect(offer.maxAmount).toBeLessThan(offer.minAmount);
      expect(checkLimits(offer.minAmount, NOTHING_YET, limits)).toMatchObject({
        code: 'PAYOUT_OVER_TRANSFER_CAP',
      });
      return;
    }
    expect(checkLimits(offer.maxAmount, NOTHING_YET, limits)).toBeUndefined();
    if (!QUALIFICATIONS[subjectType].largeTransfers) expect(offer.maxAmount).toBeLessThan(200_000);
  });
});
