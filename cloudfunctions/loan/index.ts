import { loanActions } from '../../server/loan/actions';
import type { LoanDeps } from '../../server/loan/deps';
import { loanDepsFromEnv } from '../../server/loan/wiring';
import { deliverAfterChange } from '../../server/outbox/trigger';
import { withPayoutStart } from '../../server/payout/after-approval';
import { payoutRuntimeFromEnv } from '../../server/payout/wiring';
import { currentCaller } from '../../server/runtime/cloud';
import { dispatchActions } from '../../server/runtime/handler';

let deps: LoanDeps | undefined;

/** Wired once per instance. */
function loanDeps(): LoanDeps {
  deps ??= loanDepsFromEnv();
  return deps;
}

// Runs after each change has committed (never inside a transaction): an `apply` the automatic review
// approved starts its payout right away instead of waiting for the reconcile tick.
const afterChange = withPayoutStart(deliverAfterChange(loanDeps), () => payoutRuntimeFromEnv());

/** Borrower lending: `quote`, `apply`, `get`, `list`, `cancel`, `appeal`. */
export const main = dispatchActions(loanActions(loanDeps, afterChange), currentCaller, {}, { fn: 'loan' });
