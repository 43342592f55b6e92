import type { StoredDoc, TxDocs } from '../storage/doc-store';
import type { Actor } from '../loan/transition';
import { loadApplication, transitionApplication } from '../loan/transition';
import { repaymentConfigFromEnv, type RepaymentConfig } from './config';
import { contractPlan } from './contract-schedule';
import { REPAYMENT_COLLECTIONS as C, type RepaymentPlanDoc } from './plan-doc';

/**
 * Fixes the contract schedule of a loan that has just become `disbursed` and moves it on to
 * `repaying`, in the caller's transaction (the one that books the disbursement). Idempotent: an
 * existing plan is never rebuilt.
 */
export async function openRepaymentPlan(
  tx: TxDocs,
  loanId: string,
  actor: Actor,
  at: number,
  config?: RepaymentConfig,
): Promise<RepaymentPlanDoc> {
  const existing = await tx.get<RepaymentPlanDoc>(C.plans, loanId);
  if (existing) return existing;
  const app = await loadApplication(tx, loanId);
  // The ≤ 24 % check uses this loan's own signed rate.
  const plan = contractPlan(app, at, config ?? repaymentConfigFromEnv(app.aprBps));
  await tx.put(C.plans, plan as RepaymentPlanDoc & StoredDoc);
  await transitionApplication(tx, {
    applicationId: loanId,
    to: 'repaying',
    actor,
    at,
    note: `借款已到账微信零钱，首期还款日 ${plan.instalments[0]?.dueDate ?? ''}`,
    details: {
      domain: 'repayment',
      instalments: plan.instalments.length,
      firstDue: plan.instalments[0]?.dueDate,
    },
  });
  return plan;
}
