import { authenticateOperator } from '../../server/ops/operator-auth';
import { repaymentOpsActions } from '../../server/repayment/ops-actions';
import { repaymentDepsFromEnv } from '../../server/repayment/wiring';
import type { Caller } from '../../server/runtime/caller';
import { currentCaller } from '../../server/runtime/cloud';
import { dispatchActions } from '../../server/runtime/handler';

/** The calling operator, verified against the operators collection (refusals audited). */
function operatorOf(caller: Caller, name: string) {
  const deps = repaymentDepsFromEnv();
  return authenticateOperator(deps.docs, deps.clock, caller, name);
}

/**
 * `repaymentOps`: the operators' repayment actions (overdue list, waive penalty, offline repayment,
 * refund, write-off, verify, approve), kept beside `ops` so its bundle stays within the size budget.
 */
export const main = dispatchActions(
  repaymentOpsActions(() => repaymentDepsFromEnv(), operatorOf),
  currentCaller,
  {},
  { fn: 'repaymentOps', resolveOperator: operatorOf },
);
