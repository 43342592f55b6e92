import type { Fen } from '../../typings/money';
import type { RepaymentStatus } from '../../typings/repayment';
import { payoffDiscounts } from './quote';
import {
  nextDueKeyOf,
  remainingOf,
  unpaidParts,
  type Allocation,
  type PlanInstalment,
  type RepaymentPlanDoc,
} from './plan-doc';

/** A plan after a payment, with how the money was split. */
export interface AppliedPayment {
  plan: RepaymentPlanDoc;
  allocation: Allocation;
}

/** Marks an instalment paid when nothing is owed on it any more. */
function settleStatus(i: PlanInstalment): PlanInstalment {
  return remainingOf(i) === 0 ? { ...i, status: 'paid' } : i;
}

/** The plan's status from its instalments (written_off is only ever set by an operator). */
export function statusOf(instalments: readonly PlanInstalment[]): RepaymentStatus {
  if (instalments.every((i) => i.status === 'paid')) return 'settled';
  return instalments.some((i) => i.status === 'overdue') ? 'overdue' : 'repaying';
}

/**
 * Applies `amount` fen to the plan on `today`: instalments in period order, within each penalty →
 * interest → principal. A payoff order that covers today's payoff quote first gets the early
 * settlement discount (interest by actual days). Only the order's own instalments are paid (all
 * of them for a payoff); what is left over is `excess`, refunded.
 */
export function allocatePayment(
  plan: RepaymentPlanDoc,
  amount: number,
  today: string,
  scope: { payoff: boolean; periods: readonly number[] },
  at: number,
): AppliedPayment {
  let instalments = plan.instalments.map((i) => ({ ...i }));
  if (scope.payoff) {
    const { discounts } = payoffDiscounts(plan, today);
    const withDiscount = instalments.map((i) => ({
      ...i,
      earlyDiscount: (i.earlyDiscount + (discounts.get(i.period) ?? 0)) as Fen,
    }));
    const owed = withDiscount.reduce((sum, i) => sum + remainingOf(i), 0);
    if (amount >= owed) instalments = withDiscount;
  }
  const inScope = (i: PlanInstalment): boolean => scope.payoff || scope.periods.includes(i.period);
  let left = amount;
  const split = { principal: 0, interest: 0, penalty: 0 };
  instalments = instalments.map((inst) => {
    if (left === 0 || inst.status === 'paid' || !inScope(inst)) return inst;
    const parts = unpaidParts(inst);
    const penalty = Math.min(left, parts.penalty);
    left -= penalty;
    const interest = Math.min(left, parts.interest);
    left -= interest;
    const principal = Math.min(left, parts.principal);
    left -= principal;
    split.penalty += penalty;
    split.interest += interest;
    split.principal += principal;
    return settleStatus({
      ...inst,
      paidPenalty: (inst.paidPenalty + penalty) as Fen,
      paidInterest: (inst.paidInterest + interest) as Fen,
      paidPrincipal: (inst.paidPrincipal + principal) as Fen,
    });
  });
  // Instalments whose remainder a discount brought to zero are paid too.
  instalments = instalments.map(settleStatus);
  const status = plan.status === 'written_off' ? 'written_off' : statusOf(instalments);
  const applied = amount - left;
  return {
    plan: {
      ...plan,
      instalments,
      status,
      nextDueKey: nextDueKeyOf(instalments),
      version: plan.version + 1,
      totalPaid: (plan.totalPaid + applied) as Fen,
      openOrder: null,
      updatedAt: at,
    },
    allocation: {
      principal: split.principal as Fen,
      interest: split.interest as Fen,
      penalty: split.penalty as Fen,
      excess: left as Fen,
    },
  };
}
