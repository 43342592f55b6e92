import { reconcileRepayments, type RepaymentReconcileReport } from '../../server/repayment/reconcile';
import { repaymentDepsFromEnv } from '../../server/repayment/wiring';

/** `repaymentReconcile`: every 10 minutes, lost payment results, expired orders and pending refunds. */
export async function main(): Promise<RepaymentReconcileReport> {
  return reconcileRepayments(repaymentDepsFromEnv());
}
