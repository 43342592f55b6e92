import { authenticateOperator, type Operator } from '../../server/ops/operator-auth';
import { operatorAdminActions } from '../../server/operators/console-admin';
import { instanceLoanDeps, opsActionTable } from '../../server/operators/ops-wiring';
import { rightsOpsActions } from '../../server/ops/rights-actions';
import { piiKeysFromEnv } from '../../server/pii';
import type { Caller } from '../../server/runtime/caller';
import { currentCaller } from '../../server/runtime/cloud';
import { dispatchActions } from '../../server/runtime/handler';

/** The calling operator, verified against the operators collection (refusals audited). */
function operatorOf(caller: Caller, name: string): Promise<Operator> {
  return authenticateOperator(instanceLoanDeps().store, instanceLoanDeps().clock, caller, name);
}

/**
 * Operator console: queue, claim, decide, freeze/unfreeze, blacklist, reveal, verifyAudit, amlReports,
 * payout*, identityRequests, resolveCorrection, completeDeletion; and, from the CloudBase console only, the operator accounts (registerOperator,
 * deactivateOperator, reactivateOperator, resetOperatorSecondFactor, setOperatorRole).
 */
export const main = dispatchActions(
  {
    ...opsActionTable(operatorOf),
    // Borrowers' rights requests: here, not in opsActionTable, so the workbench bundle stays within
    // its 300 KB budget (the workbench reaches them through its own function, workbenchRights).
    ...rightsOpsActions(
      () => ({ store: instanceLoanDeps().store, clock: instanceLoanDeps().clock, keys: piiKeysFromEnv() }),
      operatorOf,
    ),
    ...operatorAdminActions(() => ({
      store: instanceLoanDeps().store,
      clock: instanceLoanDeps().clock,
      keys: piiKeysFromEnv(),
    })),
  },
  currentCaller,
  {},
  // The caller table: borrowers are refused (audited) before any action runs.
  { fn: 'ops', resolveOperator: operatorOf },
);
