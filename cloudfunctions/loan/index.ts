import { loanActions } from '../../server/loan/actions';
import type { LoanDeps } from '../../server/loan/deps';
import { reviewingLoanDepsFromEnv } from '../../server/bureau/wiring';
import { deliverAfterChange } from '../../server/outbox/trigger';
import { currentCaller } from '../../server/runtime/cloud';
import { dispatchActions } from '../../server/runtime/handler';

let deps: LoanDeps | undefined;

/** Wired once per instance. */
function loanDeps(): LoanDeps {
  deps ??= reviewingLoanDepsFromEnv();
  return deps;
}

// Runs after a cancel or appeal has committed (never inside a transaction): delivers its notification.
// `apply` answers at the decision; its payout starts at the first `payout.progress` (docs/payout.md).
const afterChange = deliverAfterChange(loanDeps);

/** Borrower lending: `quote`, `authoriseCreditInquiry`, `apply`, `get`, `list`, `cancel`, `appeal`. */
export const main = dispatchActions(loanActions(loanDeps, afterChange), currentCaller, {}, { fn: 'loan' });
