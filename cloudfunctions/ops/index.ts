import { operatorAdminActions } from '../../server/operators/console-admin';
import { instanceLoanDeps, opsActionTable } from '../../server/operators/ops-wiring';
import { piiKeysFromEnv } from '../../server/pii';
import { currentCaller } from '../../server/runtime/cloud';
import { dispatchActions } from '../../server/runtime/handler';

/**
 * Operator console: queue, claim, decide, freeze/unfreeze, blacklist, reveal, verifyAudit, amlReports,
 * payout*; and, from the CloudBase console only, the operator accounts (registerOperator,
 * deactivateOperator, reactivateOperator, resetOperatorSecondFactor, setOperatorRole).
 */
export const main = dispatchActions(
  {
    ...opsActionTable(),
    ...operatorAdminActions(() => ({
      store: instanceLoanDeps().store,
      clock: instanceLoanDeps().clock,
      keys: piiKeysFromEnv(),
    })),
  },
  currentCaller,
);
