import { AppError } from '../runtime/app-error';
import type { Caller } from '../runtime/caller';
import { accrueThrough } from './accrue';
import type { RepaymentDeps } from './deps';
import { chinaDay } from './due-dates';
import { REPAYMENT_COLLECTIONS as C, type RepaymentPlanDoc } from './plan-doc';

/** A plan brought up to today (overdue marking and penalty), as the daily tick would leave it. */
export function planAsOf(plan: RepaymentPlanDoc, today: string, at: number): RepaymentPlanDoc {
  return accrueThrough(plan, today, at) ?? plan;
}

/** The caller's own plan, or the same refusal whether it is absent or someone else's. */
export async function ownPlan(
  deps: RepaymentDeps,
  caller: Caller,
  loanId: string,
): Promise<RepaymentPlanDoc> {
  const plan = await deps.docs.get<RepaymentPlanDoc>(C.plans, loanId);
  if (!caller.openid || !plan || plan.openid !== caller.openid) {
    throw new AppError('REPAYMENT_NOT_FOUND', '未找到该借款的还款计划');
  }
  return plan;
}

/** Today in China by the product clock. */
export function today(deps: RepaymentDeps): string {
  return chinaDay(deps.clock.now());
}
