import type { Fen } from '../../typings/money';
import type { RepaymentKind, RepaymentQuote } from '../../typings/repayment';
import { AppError } from '../runtime/app-error';
import { daysBetween, isBefore } from './due-dates';
import { remainingOf, unpaidParts, type PlanInstalment, type RepaymentPlanDoc } from './plan-doc';

/** Interest on `principal` at `aprBps` for `days` actual days (365-day year), rounded half up to fen. */
export function interestForDays(principal: number, aprBps: number, days: number): number {
  // principal ≤ 1e9, aprBps ≤ 2400, days ≤ 400: the product stays far below 2^53.
  return Math.floor((principal * aprBps * days * 2 + 3_650_000) / 7_300_000);
}

/** Instalments not yet fully paid, in period order. */
export function openInstalments(plan: RepaymentPlanDoc): PlanInstalment[] {
  return plan.instalments.filter((i) => i.status !== 'paid');
}

/** The early-settlement figures of `plan` on `today`: per instalment, the interest no longer charged. */
export function payoffDiscounts(
  plan: RepaymentPlanDoc,
  today: string,
): { discounts: Map<number, number>; interestDays: number } {
  const discounts = new Map<number, number>();
  const open = openInstalments(plan).filter((i) => !isBefore(i.dueDate, today));
  const current = open[0];
  if (!current) return { discounts, interestDays: 0 };
  const index = plan.instalments.indexOf(current);
  const periodStart =
    index === 0 ? plan.disbursedOn : (plan.instalments[index - 1]?.dueDate ?? plan.disbursedOn);
  const interestDays = Math.max(0, daysBetween(periodStart, today));
  const outstanding = open.reduce((sum, i) => sum + i.principal - i.paidPrincipal, 0);
  const accrued = Math.min(current.interest, interestForDays(outstanding, plan.terms.aprBps, interestDays));
  // The current period is charged interest by actual days (never more than the contract's); later periods none.
  const currentDiscount = Math.max(
    0,
    current.interest - current.earlyDiscount - Math.max(accrued, current.paidInterest),
  );
  discounts.set(current.period, currentDiscount);
  for (const later of open.slice(1)) {
    discounts.set(later.period, later.interest - later.earlyDiscount - later.paidInterest);
  }
  return { discounts, interestDays };
}

/** The instalments a kind of repayment covers today. */
function covered(plan: RepaymentPlanDoc, kind: RepaymentKind): PlanInstalment[] {
  const open = openInstalments(plan);
  if (kind === 'payoff') return open;
  if (kind === 'overdue') return open.filter((i) => i.status === 'overdue');
  const first = open[0];
  return first ? [first] : [];
}

/**
 * What paying `kind` costs on `today`: `due` the earliest unpaid instalment, `overdue` everything
 * overdue, `payoff` everything left with the current period's interest by actual days.
 */
export function quoteRepayment(plan: RepaymentPlanDoc, kind: RepaymentKind, today: string): RepaymentQuote {
  if (plan.status === 'settled' || plan.status === 'written_off') {
    throw new AppError('LOAN_SETTLED', '这笔借款已结清，无需还款');
  }
  const { discounts, interestDays } =
    kind === 'payoff'
      ? payoffDiscounts(plan, today)
      : { discounts: new Map<number, number>(), interestDays: 0 };
  const sum = { principal: 0, interest: 0, penalty: 0 };
  const instalments = covered(plan, kind);
  for (const i of instalments) {
    const parts = unpaidParts(i);
    sum.principal += parts.principal;
    sum.interest += parts.interest - (discounts.get(i.period) ?? 0);
    sum.penalty += parts.penalty;
  }
  const amount = sum.principal + sum.interest + sum.penalty;
  if (amount <= 0) {
    throw new AppError(
      kind === 'overdue' ? 'NOTHING_OVERDUE' : 'NOTHING_DUE',
      kind === 'overdue' ? '目前没有逾期款项' : '目前没有需要还的款项',
    );
  }
  return {
    loanId: plan._id,
    kind,
    amount: amount as Fen,
    breakdown: {
      principal: sum.principal as Fen,
      interest: sum.interest as Fen,
      penalty: sum.penalty as Fen,
    },
    periods: instalments.map((i) => i.period),
    validOn: today,
    ...(kind === 'payoff' ? { interestDays } : {}),
  };
}

/** Everything still owed (contract figures, penalty, minus relief and payments). */
export function totalRemaining(plan: RepaymentPlanDoc): number {
  return plan.instalments.reduce((sum, i) => sum + remainingOf(i), 0);
}
