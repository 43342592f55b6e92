import { reconcileRepayments, type RepaymentReconcileReport } from '../../server/repayment/reconcile';
import { repaymentDepsFromEnv } from '../../server/repayment/wiring';
import { currentCaller } from '../../server/runtime/cloud';
import { callerVerdict, TIMER_ENTRY } from '../../server/runtime/caller-table';
import { refusal } from '../../server/runtime/handler';
import type { ApiResult } from '../../typings/api';

/**
 * `repaymentReconcile`: every 10 minutes, lost payment results, expired orders and pending refunds.
 * The caller table refuses anyone but the timer and the console before WeChat Pay or the database is touched.
 */
export async function main(event: unknown): Promise<RepaymentReconcileReport | ApiResult<never>> {
  if (callerVerdict('repaymentReconcile', TIMER_ENTRY, currentCaller(), event) !== 'allow')
    return refusal('repaymentReconcile');
  return reconcileRepayments(repaymentDepsFromEnv());
}
