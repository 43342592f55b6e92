import { revealIdentity } from '../../server/identity/borrower-access';
import type { LoanDeps } from '../../server/loan/deps';
import { loanDepsFromEnv } from '../../server/loan/wiring';
import { opsActions } from '../../server/ops/actions';
import { authenticateOperator, type Operator } from '../../server/ops/operator-auth';
import type { Caller } from '../../server/runtime/caller';
import { withPayoutStart } from '../../server/payout/after-approval';
import { cancelBlockedPayouts } from '../../server/payout/blocked-cancel';
import { payoutOpsActions } from '../../server/payout/ops-table';
import { payoutRuntimeFromEnv } from '../../server/payout/wiring';
import { deliverAfterChange } from '../../server/outbox/trigger';
import { piiKeysFromEnv } from '../../server/pii';
import { currentCaller } from '../../server/runtime/cloud';
import { dispatchActions } from '../../server/runtime/handler';

let deps: LoanDeps | undefined;

/** Wired once per instance. */
function loanDeps(): LoanDeps {
  deps ??= loanDepsFromEnv();
  return deps;
}

/** The calling operator, verified against the operators collection (refusals audited). */
function operatorOf(caller: Caller, name: string): Promise<Operator> {
  return authenticateOperator(loanDeps().store, loanDeps().clock, caller, name);
}

/** Operator console: queue, claim, decide, freeze/unfreeze, blacklist, reveal, verifyAudit, amlReports, payout*. */
export const main = dispatchActions(
  {
    ...opsActions(
      loanDeps,
      (openid, reason) => revealIdentity({ store: loanDeps().store, keys: piiKeysFromEnv() }, openid, reason),
      // An approval starts the payout once its transaction has committed.
      withPayoutStart(deliverAfterChange(loanDeps), () => payoutRuntimeFromEnv()),
      // A freeze or blacklisting cancels the borrower's unconfirmed bill once it has committed.
      (loanIds) => cancelBlockedPayouts(() => payoutRuntimeFromEnv(), loanIds),
    ),
    // payoutStart/Retry/Cancel/Hold/History/Reconcile (server/payout/ops-table.ts).
    ...payoutOpsActions(() => payoutRuntimeFromEnv(), operatorOf),
  },
  currentCaller,
  {},
  // The caller table: borrowers are refused (audited) before any action runs.
  { fn: 'ops', resolveOperator: operatorOf },
);
