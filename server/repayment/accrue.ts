import type { Fen } from '../../typings/money';
import { statusOf } from './allocate';
import { daysBetween, isBefore, nextDay } from './due-dates';
import { interestForDays } from './quote';
import { nextDueKeyOf, type RepaymentPlanDoc } from './plan-doc';

/**
 * Brings the plan's overdue marking and penalty interest up to `today` (China), one day at a time
 * from the day after `accruedThrough`, so a clock jump over several due dates accrues each day
 * exactly once and a replayed tick changes nothing. An instalment not fully paid by the end of its
 * due date is overdue; after the grace days its unpaid principal bears penalty interest per day.
 * Answers undefined when nothing changes.
 */
export function accrueThrough(
  plan: RepaymentPlanDoc,
  today: string,
  at: number,
): RepaymentPlanDoc | undefined {
  if (plan.status === 'settled' || plan.status === 'written_off') return undefined;
  if (!isBefore(plan.accruedThrough, today)) return undefined;
  const instalments = plan.instalments.map((i) => ({ ...i }));
  for (let day = nextDay(plan.accruedThrough); !isBefore(today, day); day = nextDay(day)) {
    for (const inst of instalments) {
      if (inst.status === 'paid' || !isBefore(inst.dueDate, day)) continue;
      inst.status = 'overdue';
      const daysPast = daysBetween(inst.dueDate, day);
      if (daysPast <= plan.terms.graceDays) continue;
      const unpaidPrincipal = inst.principal - inst.paidPrincipal;
      inst.penalty = (inst.penalty + interestForDays(unpaidPrincipal, plan.terms.penaltyAprBps, 1)) as Fen;
    }
  }
  return {
    ...plan,
    instalments,
    status: statusOf(instalments),
    nextDueKey: nextDueKeyOf(instalments),
    accruedThrough: today,
    version: plan.version + 1,
    updatedAt: at,
  };
}

/** Days the earliest unpaid instalment is past its due date on `today` (0 when none). */
export function daysPastDue(plan: RepaymentPlanDoc, today: string): number {
  const first = plan.instalments.find((i) => i.status === 'overdue');
  return first ? Math.max(0, daysBetween(first.dueDate, today)) : 0;
}
