import type { LoanQuote, QuoteOffer, RepaymentMethod } from '../../typings/loan';
import type { Fen } from '../../typings/money';
import { maxPayableLoan, type LimitsPolicy } from '../limits/policy';
import { AppError } from '../runtime/app-error';
import type { LoanProductConfig } from './config';
import { repaymentSchedule } from './schedule';

/** What may be offered: the product's range narrowed by the payout limits. */
export function quoteOffer(config: LoanProductConfig, limits: LimitsPolicy): QuoteOffer {
  return {
    minAmount: Math.max(config.minAmountFen, limits.minAmountFen) as Fen,
    maxAmount: Math.min(config.maxAmountFen, maxPayableLoan(limits)) as Fen,
    amountStep: config.amountStepFen,
    terms: [...config.terms],
    methods: [...config.methods],
    aprBps: config.aprBps,
  };
}

/** Refuses an amount, term or method outside the offer with a specific code. */
export function checkWithinOffer(
  offer: QuoteOffer,
  amount: number,
  termMonths: number,
  method: RepaymentMethod,
): void {
  if (amount < offer.minAmount) {
    throw new AppError('AMOUNT_BELOW_MINIMUM', `借款金额不能低于 ${offer.minAmount / 100} 元`);
  }
  if (amount > offer.maxAmount) {
    throw new AppError('AMOUNT_ABOVE_MAXIMUM', `借款金额不能高于 ${offer.maxAmount / 100} 元`);
  }
  if (amount % offer.amountStep !== 0) {
    throw new AppError('AMOUNT_STEP', `借款金额须为 ${offer.amountStep / 100} 元的整数倍`);
  }
  if (!offer.terms.includes(termMonths)) throw new AppError('TERM_NOT_OFFERED', '不支持所选的借款期限');
  if (!offer.methods.includes(method)) throw new AppError('METHOD_NOT_OFFERED', '不支持所选的还款方式');
}

/** Price and schedule of one loan within the offer. */
export function quoteLoan(
  offer: QuoteOffer,
  amount: Fen,
  termMonths: number,
  method: RepaymentMethod,
): LoanQuote {
  checkWithinOffer(offer, amount, termMonths, method);
  const schedule = repaymentSchedule(amount, offer.aprBps, termMonths, method);
  const totalInterest = schedule.reduce((sum, i) => sum + i.interest, 0) as Fen;
  return {
    amount,
    termMonths,
    method,
    aprBps: offer.aprBps,
    totalInterest,
    totalRepayment: (amount + totalInterest) as Fen,
    schedule,
  };
}
