import { revealIdentity } from '../identity/borrower-access';
import type { LoanDeps } from '../loan/deps';
import { loanDepsFromEnv } from '../loan/wiring';
import { opsActions, type OperatorCheck } from '../ops/actions';
import { authenticateOperator } from '../ops/operator-auth';
import { deliverAfterChange } from '../outbox/trigger';
import { withPayoutStart } from '../payout/after-approval';
import { cancelBlockedPayouts } from '../payout/blocked-cancel';
import { payoutOpsActions } from '../payout/ops-table';
import { payoutRuntimeFromEnv } from '../payout/wiring';
import { piiKeysFromEnv } from '../pii';

let deps: LoanDeps | undefined;

/** The loan deps of this instance, wired once. */
export function instanceLoanDeps(): LoanDeps {
  deps ??= loanDepsFromEnv();
  return deps;
}

/**
 * Every `ops` action (review, borrower controls, reveal, audit, payouts) over the production wiring.
 * `authenticate` decides who acts: by default the ops function's own check of the platform caller;
 * the workbench passes the operator of a verified session.
 */
export function opsActionTable(authenticate?: OperatorCheck) {
  const check: OperatorCheck =
    authenticate ??
    ((caller, name) =>
      authenticateOperator(instanceLoanDeps().store, instanceLoanDeps().clock, caller, name));
  return {
    ...opsActions(
      instanceLoanDeps,
      (openid, reason) =>
        revealIdentity({ store: instanceLoanDeps().store, keys: piiKeysFromEnv() }, openid, reason),
      // An approval starts the payout once its transaction has committed.
      withPayoutStart(deliverAfterChange(instanceLoanDeps), () => payoutRuntimeFromEnv()),
      // A freeze or blacklisting cancels the borrower's unconfirmed bill once it has committed.
      (loanIds) => cancelBlockedPayouts(() => payoutRuntimeFromEnv(), loanIds),
      check,
    ),
    // payoutStart/Retry/Cancel/Hold/History/Reconcile (server/payout/ops-table.ts).
    ...payoutOpsActions(() => payoutRuntimeFromEnv(), check),
  };
}
